// Screenshots of the running demo for the README (tools/screenshots starts the server).
// Usage: NODE_PATH=.../node_modules node tools/screenshots.cjs BASE_URL DB OUT_DIR
const { chromium } = require("playwright-core");
const { writeFileSync } = require("node:fs");

const [base, db, out] = process.argv.slice(2);

async function rpc(context, route, params) {
    const response = await context.request.post(`${base}${route}`, { data: { jsonrpc: "2.0", params } });
    const body = await response.json();
    if (body.error) throw new Error(JSON.stringify(body.error));
    return body.result;
}
const callKw = (context, model, method, args, kwargs = {}) =>
    rpc(context, "/web/dataset/call_kw", { model, method, args, kwargs });

async function login(browser, login, lang) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang.replace("_", "-") });
    await context.addCookies([{ name: "frontend_lang", value: lang, url: base }]);  // portal pages
    await rpc(context, "/web/session/authenticate", { db, login, password: login === "admin" ? "admin" : login });
    const [uid] = await callKw(context, "res.users", "search", [[["login", "=", login]]]);
    await callKw(context, "res.users", "write", [[uid], { lang }]);
    return context;
}

async function shot(page, url, file, waitFor) {
    await page.goto(`${base}${url}`);
    await page.waitForSelector(waitFor, { timeout: 30000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${out}/${file}` });
    console.log(`wrote ${out}/${file}`);
}

async function main() {
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
    for (const lang of ["en_US", "zh_CN"]) {
        const tag = lang === "en_US" ? "en" : "zh";
        const context = await login(browser, "admin", lang);
        const page = await context.newPage();
        const [slip] = await callKw(context, "qms.complaint", "search", [[["state", "=", "done"]]], { limit: 1 });
        const [open] = await callKw(context, "qms.complaint", "search", [[["state", "=", "action"]]], { limit: 1 });
        await shot(page, "/odoo/action-qms_customer.qms_complaint_action?view_type=kanban", `${tag}-complaint-kanban.png`, ".o_kanban_record");
        await shot(page, `/odoo/action-qms_customer.qms_complaint_action/${open}`, `${tag}-complaint-form.png`, ".o_form_view .o_statusbar_status");
        const pdf = await context.request.get(`${base}/report/pdf/qms_customer.report_qms_complaint/${slip}`);
        writeFileSync(`${out}/${tag}-complaint-slip.pdf`, await pdf.body());
        console.log(`wrote ${out}/${tag}-complaint-slip.pdf`);
        // the 8D report of the demo slip whose handling is complete (issue 14)
        const [eightD] = await callKw(context, "qms.complaint", "search", [[["team_recognition", "!=", false]]], { limit: 1 });
        if (eightD) {
            const report = await context.request.get(`${base}/report/pdf/qms_customer.report_qms_complaint_8d/${eightD}`);
            writeFileSync(`${out}/${tag}-8d-report.pdf`, await report.body());
            console.log(`wrote ${out}/${tag}-8d-report.pdf`);
        }
        const [remedies] = await callKw(context, "qms.complaint", "search", [[["line_ids.remedy", "!=", false]]], { limit: 1 });
        if (remedies) {
            await shot(page, `/odoo/action-qms_customer.qms_complaint_action/${remedies}`, `${tag}-complaint-remedies.png`, ".o_form_view .o_statusbar_status");
        }
        // last year's report as the management review saw it; this year's draft printed live
        const [presented] = await callKw(context, "qms.annual.report", "search", [[["kind", "=", "complaint"], ["state", "=", "presented"]]], { limit: 1 });
        if (presented) {
            await shot(page, `/odoo/action-qms_customer.qms_annual_report_action/${presented}`, `${tag}-annual-report-form.png`, ".o_form_view .o_statusbar_status");
        }
        const [draft] = await callKw(context, "qms.annual.report", "search", [[["kind", "=", "complaint"], ["state", "=", "draft"]]], { limit: 1, order: "year desc" });
        if (draft) {
            const yearly = await context.request.get(`${base}/report/pdf/qms_customer.report_qms_annual_report/${draft}`);
            writeFileSync(`${out}/${tag}-annual-report.pdf`, await yearly.body());
            console.log(`wrote ${out}/${tag}-annual-report.pdf`);
        }
        await context.close();
        const portal = await login(browser, "portal", lang);
        const portalPage = await portal.newPage();
        await shot(portalPage, "/my/complaints", `${tag}-portal-complaints.png`, "table, .o_portal_my_doc_table, .o_portal_wrap");
        const [own] = await callKw(portal, "qms.complaint", "search", [[]], { limit: 1 });
        if (own) {
            await shot(portalPage, `/my/complaints/${own}`, `${tag}-portal-complaint.png`, ".o_portal_wrap, #wrap");
        }
        await portal.close();
    }
} finally {
    await browser.close();
}
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
