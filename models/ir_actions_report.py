import contextlib
import contextvars
import logging
import os
import re
from urllib.parse import quote

from odoo import models
from odoo.tools.misc import file_path

_logger = logging.getLogger(__name__)

# The <link>/<script> tags that t-call-assets writes for a compiled bundle.
ASSET_TAG = re.compile(
    r'<(?P<tag>link|script)\b[^>]*?\b(?:href|src)="(?P<url>/web/assets/[^"]+)"[^>]*?'
    r'(?:/>|>\s*</script>|>)')
# url(...) of an addon's static file inside a stylesheet, with its optional ?query or #fragment.
STATIC_URL = re.compile(r'url\((?P<quote>["\']?)(?P<path>/\w+/static/[^"\'?#)]+)(?P<suffix>[?#][^"\')]*)?["\']?\)')
# Set (to the folders wkhtmltopdf may read) while a self-contained PDF is rendered. A context
# variable, not an Odoo context key: a client must not be able to switch file access on.
SELF_CONTAINED_PDF = contextvars.ContextVar("qms_self_contained_pdf", default=None)


@contextlib.contextmanager
def self_contained_pdf():
    """Within this block, PDFs are rendered from self-contained pages (see _run_wkhtmltopdf)."""
    token = SELF_CONTAINED_PDF.set(set())
    try:
        yield
    finally:
        SELF_CONTAINED_PDF.reset(token)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def retrieve_attachment(self, record):
        """A submitted yearly report prints the copy it froze, never another file of the report that
        merely carries that copy's name (Odoo looks the printed copy up by name)."""
        if record._name == "qms.annual.report" and self.attachment:
            return record._qms_printed_copy().with_env(self.env) or None
        return super().retrieve_attachment(record)

    def _run_wkhtmltopdf(self, bodies, report_ref=False, header=None, footer=None, **kwargs):
        """Within ``self_contained_pdf()`` the pages carry their stylesheets and scripts inline and
        read fonts from the addons' static folders, so wkhtmltopdf fetches nothing from the web
        server. The frozen PDF of an annual report is then the same whether it is submitted from
        a browser, a scheduled action or a command-line install (no HTTP server), and keeps its
        layout when the server's own URL is unreachable from wkhtmltopdf (proxy, container)."""
        if SELF_CONTAINED_PDF.get() is not None:
            bodies = [self._qms_inline_assets(body) for body in bodies]
            header = header and self._qms_inline_assets(header)
            footer = footer and self._qms_inline_assets(footer)
        return super()._run_wkhtmltopdf(bodies, report_ref=report_ref, header=header, footer=footer, **kwargs)

    def _build_wkhtmltopdf_args(self, paperformat_id, landscape, specific_paperformat_args=None,
                                set_viewport_size=False):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id, landscape, specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size)
        # local file access stays off, but for the static folders the inlined stylesheets name
        for folder in sorted(SELF_CONTAINED_PDF.get() or ()):
            args += ["--allow", folder]
        return args

    def _qms_inline_assets(self, html):
        """Replace the asset bundle links of `html` by the bundles' content."""
        return ASSET_TAG.sub(self._qms_inline_asset, html)

    def _qms_inline_asset(self, match):
        # the bundle is compiled (or taken from its attachment) as /web/assets/ would serve it
        try:
            bundle_name, rtl, asset_type, autoprefix = self.env["ir.asset"]._parse_bundle_name(
                match["url"].rsplit("/", 1)[-1], False)
        except ValueError:
            return match.group(0)
        bundle = self.env["ir.qweb"]._get_asset_bundle(
            bundle_name, css=asset_type == "css", js=asset_type == "js", rtl=rtl, autoprefix=autoprefix,
            assets_params=self.env["ir.asset"]._get_asset_params())
        if asset_type == "css" and bundle.stylesheets:
            css = STATIC_URL.sub(self._qms_static_file_url, bundle.css().raw.decode())
            return f"<style>{self._qms_escape_end_tags(css)}</style>"
        if asset_type == "js" and bundle.javascripts:
            return f"<script>{self._qms_escape_end_tags(bundle.js().raw.decode())}</script>"
        _logger.info("Asset bundle %s has nothing to inline for a self-contained PDF.", match["url"])
        return match.group(0)

    @staticmethod
    def _qms_escape_end_tags(text):
        # inside <style>/<script> the page must not see a closing tag or a comment opening
        return re.sub(r"<(/(?:script|style)|!--)", r"<\\\1", text, flags=re.IGNORECASE)

    @staticmethod
    def _qms_static_file_url(match):
        try:
            path = file_path(match["path"].lstrip("/"))
        except (FileNotFoundError, ValueError):
            return 'url("data:,")'  # one missing file must not void a whole @font-face src list
        folders = SELF_CONTAINED_PDF.get()
        if folders is not None:
            folders.add(os.path.dirname(path))
        return f'url("file://{quote(path)}{match["suffix"] or ""}")'
