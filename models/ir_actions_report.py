import re
from urllib.parse import quote

import odoo
from odoo import models
from odoo.tools.misc import file_path

# The <link>/<script> tags that t-call-assets writes for a compiled bundle.
ASSET_TAG = re.compile(
    r'<(?P<tag>link|script)\b[^>]*?\b(?:href|src)="(?P<url>/web/assets/[^"]+)"[^>]*?'
    r'(?:/>|>\s*</script>|>)')
# url(...) of an addon's static file inside a stylesheet, with its optional ?query or #fragment.
STATIC_URL = re.compile(r'url\((?P<quote>["\']?)(?P<path>/\w+/static/[^"\'?#)]+)(?P<suffix>[?#][^"\')]*)?["\']?\)')


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(self, bodies, report_ref=False, header=None, footer=None, **kwargs):
        """With ``qms_self_contained_pdf`` in the context, the pages carry their stylesheets and
        scripts inline and read fonts from the addons' folders, so wkhtmltopdf fetches nothing
        from the web server. The frozen PDF of an annual report is then the same whether it is
        submitted from a browser, a scheduled action or a command-line install (no HTTP server),
        and does not lose its layout when the server's own URL is unreachable from wkhtmltopdf."""
        if not self.env.context.get("qms_self_contained_pdf"):
            return super()._run_wkhtmltopdf(bodies, report_ref=report_ref, header=header, footer=footer, **kwargs)
        bodies = [self._qms_inline_assets(body) for body in bodies]
        header = header and self._qms_inline_assets(header)
        footer = footer and self._qms_inline_assets(footer)
        return super()._run_wkhtmltopdf(bodies, report_ref=report_ref, header=header, footer=footer, **kwargs)

    def _build_wkhtmltopdf_args(self, paperformat_id, landscape, specific_paperformat_args=None,
                                set_viewport_size=False):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id, landscape, specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size)
        if self.env.context.get("qms_self_contained_pdf"):
            # local files are read from the addons' folders only
            args.append("--disable-local-file-access")
            for path in odoo.addons.__path__:
                args += ["--allow", path]
        return args

    def _qms_inline_assets(self, html):
        """Replace the asset bundle links of `html` by the bundles' content."""
        return ASSET_TAG.sub(self._qms_inline_asset, html)

    def _qms_inline_asset(self, match):
        # the bundle is compiled (or taken from its attachment) as /web/assets/ would serve it
        bundle_name, rtl, asset_type, autoprefix = self.env["ir.asset"]._parse_bundle_name(
            match["url"].rsplit("/", 1)[-1], False)
        bundle = self.env["ir.qweb"]._get_asset_bundle(
            bundle_name, css=asset_type == "css", js=asset_type == "js", rtl=rtl, autoprefix=autoprefix,
            assets_params=self.env["ir.asset"]._get_asset_params())
        if asset_type == "css" and bundle.stylesheets:
            css = bundle.css().raw.decode()
            return f"<style>{STATIC_URL.sub(self._qms_static_file_url, css)}</style>"
        if asset_type == "js" and bundle.javascripts:
            js = bundle.js().raw.decode()
            return "<script>{}</script>".format(js.replace("</script", "<\\/script"))
        return ""

    @staticmethod
    def _qms_static_file_url(match):
        try:
            path = file_path(match["path"].lstrip("/"))
        except (FileNotFoundError, ValueError):
            return "none"
        return f'url("file://{quote(path)}{match["suffix"] or ""}")'
