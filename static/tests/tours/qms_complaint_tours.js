import { registry } from "@web/core/registry";

// Browser tours of the complaint (return) slip, clause 4.3. The Python tests in
// tests/test_tours.py open the right record for each role and check the result in between.

const tours = registry.category("web_tour.tours");

function clickGate(buttonName) {
    return [
        {
            content: `Press ${buttonName}`,
            trigger: `.o_form_view .o_form_statusbar button[name='${buttonName}']`,
            run: "click",
        },
        {
            content: `${buttonName} done: the button is gone`,
            trigger: `.o_form_view .o_form_statusbar:not(:has(button[name='${buttonName}']))`,
        },
    ];
}

function openTab(name) {
    return {
        content: `Open the tab ${name}`,
        trigger: `.o_notebook .nav-link[name='${name}']`,
        run: "click",
    };
}

// (a) A sales user records a complaint from a confirmed sales order and submits it.
tours.add("qms_record_complaint_tour", {
    steps: () => [
        {
            content: "Record a complaint from the confirmed order",
            trigger: ".o_form_view button[name='action_record_qms_complaint']",
            run: "click",
        },
        {
            content: "The order's products are on the slip",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row",
        },
        {
            content: "Describe the complaint",
            trigger: ".o_field_html[name='description'] .odoo-editor-editable div.o-paragraph",
            run: "editor The legs wobble after assembly (tour).",
        },
        {
            content: "Save the slip",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: it has a number",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('CS/')",
        },
        ...clickGate("action_submit"),
    ],
});

// (b) The chain of roles, one tour per role.
tours.add("qms_chain_supervisor_tour", {
    steps: () => [...clickGate("action_supervisor_review")],
});

tours.add("qms_chain_quality_tour", {
    steps: () => [
        openTab("review"),
        {
            content: "Write the review and disposition",
            trigger: ".o_field_widget[name='quality_disposition'] textarea",
            run: "edit Used outside the load rating stated in the manual (tour).",
        },
        {
            content: "Record the responsibility finding",
            trigger: ".o_field_widget[name='responsibility_finding'] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Non-quality: application or misuse",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Application or Misuse')",
            run: "click",
        },
        ...clickGate("action_confirm_not_responsible"),
    ],
});

tours.add("qms_chain_sales_tour", {
    steps: () => [
        openTab("investigation"),
        {
            content: "Record the real cause found with the customer",
            trigger: ".o_field_widget[name='investigation_cause'] textarea",
            run: "edit The customer stacked three desks on each other (tour).",
        },
        ...clickGate("action_investigation_done"),
        openTab("reply"),
        {
            content: "Say how the customer was answered",
            trigger: ".o_field_widget[name='reply_channel'] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "By phone",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Phone')",
            run: "click",
        },
        {
            content: "Write the answer",
            trigger: ".o_field_html[name='reply_text'] .odoo-editor-editable div.o-paragraph",
            run: "editor We explained the load rating and offered a free inspection (tour).",
        },
        ...clickGate("action_reply"),
    ],
});

tours.add("qms_chain_mgmt_rep_tour", {
    steps: () => [
        openTab("reply"),
        {
            content: "Write the verification notes",
            trigger: ".o_field_widget[name='verification_notes'] textarea",
            run: "edit Customer called back: satisfied with the inspection (tour).",
        },
        {
            content: "The customer is satisfied",
            trigger: ".o_field_widget[name='customer_satisfied'] input[data-value='yes']",
            run: "click",
        },
        ...clickGate("action_close"),
        {
            content: "The slip is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});

// (d) Clause 4.2.1: a planned communication activity is fulfilled by logging the communication.
tours.add("qms_plan_line_log_communication_tour", {
    steps: () => [
        {
            content: "Log the communication planned on this line",
            trigger: ".o_form_view .o_form_statusbar button[name='action_log_communication']",
            run: "click",
        },
        {
            content: "The communication is prefilled with the planned customer",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value(Tour Customer Ltd)",
        },
        {
            content: "Summarise the call",
            trigger: ".o_field_html[name='summary'] .odoo-editor-editable div.o-paragraph",
            run: "editor Yearly check-in call: happy with the desks (tour).",
        },
        {
            content: "Save the communication",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved, .o_form_view:not(:has(.o_form_button_save:visible))",
        },
    ],
});
