from odoo.tests import tagged

from .common import QmsHttpCommon

# The records the server writes for the clocks and the customer's verdict (issue 13): nobody writes
# them, by any path.
SERVER_RECORDS = {
    "qms.complaint.pause": ("pause_ids", ["complaint_id/.id", "reason", "date_start"],
                            lambda slip: [str(slip.id), "Forged wait", "2020-01-01 10:00:00"]),
    "qms.complaint.escalation": ("escalation_ids", ["complaint_id/.id", "user_id/.id", "deadline", "date"],
                                 lambda slip: [str(slip.id), str(slip.env.uid), "answer", "2020-01-01 10:00:00"]),
    "qms.complaint.verdict": ("verdict_ids", ["complaint_id/.id", "answer_id/.id", "verdict", "handling_score"],
                              lambda slip: [str(slip.id), str(slip.answer_ids[:1].id), "accepted", "5"]),
}


@tagged("post_install", "-at_install")
class TestAttackClockRecords(QmsHttpCommon):
    """The other ways in to the waits, escalations, verdicts and cost lines of a slip: import
    (``load``), one2many commands from the slip, files attached to them. The direct create, write,
    copy and unlink are tried in the tests of each feature."""

    def setUp(self):
        super().setUp()
        cls = self
        cls.admin = cls.env.ref("base.user_admin")
        cls.slip = cls._to_action(cls._complaint())
        cls._implement(cls._add_action(cls.slip))
        cls.slip.corrective_action_ids.with_user(cls.quality).action_verify_effective()
        cls._reply(cls.slip)
        cls.pause = cls.env["qms.complaint.pause"].create({
            "complaint_id": cls.slip.id, "reason": "Photos of the damage", "date_start": "2030-01-04 10:00:00",
            "date_end": "2030-01-08 10:00:00"})
        cls.escalation = cls.env["qms.complaint.escalation"].create({
            "complaint_id": cls.slip.id, "user_id": cls.supervisor.id, "deadline": "answer"})
        cls.verdict = cls.env["qms.complaint.verdict"].create({
            "complaint_id": cls.slip.id, "answer_id": cls.slip.answer_ids[:1].id,
            "partner_id": cls.slip.partner_id.id, "date": "2030-01-09 10:00:00", "verdict": "rejected",
            "handling_score": 2})
        cls.users = (cls.sales, cls.supervisor, cls.quality, cls.mgmt_rep, cls.gm, cls.admin)

    def _counts(self):
        return {model: self.env[model].search_count([]) for model in (*SERVER_RECORDS, "qms.complaint.cost")}

    def test_server_records_cannot_be_imported_commanded_or_given_files(self):
        before = self._counts()
        records = {"qms.complaint.pause": self.pause, "qms.complaint.escalation": self.escalation,
                   "qms.complaint.verdict": self.verdict}
        for user in self.users:
            for model, (field, columns, row) in SERVER_RECORDS.items():
                with self.subTest(user=user.login, model=model):
                    ok, result = self.json2(user, model, "load", fields=columns, data=[row(self.slip)])
                    self.assertFalse(ok and not result.get("messages"), result)
                    record = records[model]
                    for command in ([(0, 0, dict(zip([c.split("/")[0] for c in columns[1:]], row(self.slip)[1:],
                                                     strict=True)))],
                                    [(1, record.id, {})], [(2, record.id)], [(3, record.id)], [(5, 0, 0)],
                                    [(6, 0, [])]):
                        self.assertRefused(user, "qms.complaint", "write", ids=self.slip.ids, vals={field: command})
                    self.assertRefused(user, "ir.attachment", "create", vals_list=[{
                        "name": "forged.pdf", "res_model": model, "res_id": record.id, "raw": "forged"}])
        self.env.invalidate_all()
        self.assertEqual(self._counts(), before)
        self.assertEqual((self.pause.reason, self.verdict.verdict, self.escalation.user_id),
                         ("Photos of the damage", "rejected", self.supervisor))
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "forged.pdf")]))

    def test_cost_lines_import_only_where_the_gate_allows(self):
        row = [str(self.slip.id), "freight", "Forged freight", "2030-01-05", "99.0"]
        columns = ["complaint_id/.id", "kind", "name", "date", "amount"]
        before = self._counts()
        # the General Manager and the Management Representative do not enter costs, by import neither
        for user in (self.gm, self.mgmt_rep):
            with self.subTest(user=user.login):
                ok, result = self.json2(user, "qms.complaint.cost", "load", fields=columns, data=[row])
                self.assertFalse(ok and not result.get("messages"), result)
                ok, result = self.json2(user, "qms.complaint", "load", fields=[".id", "cost_ids/kind",
                                                                            "cost_ids/amount"],
                                        data=[[str(self.slip.id), "freight", "99.0"]])
                self.assertFalse(ok and not result.get("messages"), result)
        self.env.invalidate_all()
        self.assertEqual(self._counts(), before)
        # Quality may, while the slip is open: the import is the create, with its checks
        ok, result = self.json2(self.quality, "qms.complaint.cost", "load", fields=columns,
                                data=[[*row[:4], "-5.0"]])
        self.assertFalse(ok and not result.get("messages"), result)
        ok, result = self.json2(self.quality, "qms.complaint.cost", "load", fields=columns, data=[row])
        self.assertTrue(ok and not result.get("messages") and result.get("ids"), result)
        self.env.invalidate_all()
        self.assertEqual(self.slip.cost_ids.mapped("amount"), [99.0])
        # nor may the General Manager attach a file to a cost line
        self.assertRefused(self.gm, "ir.attachment", "create", vals_list=[{
            "name": "forged.pdf", "res_model": "qms.complaint.cost", "res_id": self.slip.cost_ids.id,
            "raw": "forged"}])
