import { registry } from "@web/core/registry";

// (c) A portal customer records a complaint against their confirmed order, then follows it.
registry.category("web_tour.tours").add("qms_portal_complaint_tour", {
    url: "/my/home",
    steps: () => [
        {
            content: "Open my complaints",
            trigger: "a[href='/my/complaints']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Record a new complaint",
            trigger: "a.o_qms_new_complaint",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Quantity of the first product",
            trigger: "form.o_qms_complaint_form input[name^='qty_']",
            run: "edit 2",
        },
        {
            content: "What is wrong with it",
            trigger: "form.o_qms_complaint_form input[name^='defect_']",
            run: "edit Scratched on arrival",
        },
        {
            content: "Describe the problem",
            trigger: "textarea[name='description']",
            run: "edit Two units arrived scratched (tour).",
        },
        {
            content: "Send it",
            trigger: "button.o_qms_submit_complaint",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The complaint is recorded and shown as received",
            trigger: ".o_qms_complaint_created",
        },
        {
            content: "My description is shown",
            trigger: ".o_qms_complaint_description:contains('arrived scratched (tour)')",
        },
        {
            content: "Write in the thread",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit The scratches are on the left side.",
        },
        {
            content: "Send the message",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "My message is in the thread",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('The scratches are on the left side.')",
        },
    ],
});
