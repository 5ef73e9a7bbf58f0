import base64
import contextlib
import contextvars
import functools
import re

from markupsafe import Markup

from odoo import models
from odoo.tools.misc import file_path

# url(...) of an addon's static file inside a stylesheet (with its ?query or #fragment, dropped).
STATIC_URL = re.compile(r'url\(["\']?(?P<path>/\w+/static/[^"\'?#)]+)[^)]*\)')
# The font formats written into a self-contained page: WOFF (the smallest that wkhtmltopdf's
# WebKit reads). The other sources of an @font-face (eot, svg, ttf, woff2) become empty data: URIs.
INLINE_FONTS = {".woff": "font/woff"}
# True while a self-contained PDF is rendered: a context variable, not an Odoo context key, so that
# no client can ask for it.
SELF_CONTAINED_PDF = contextvars.ContextVar("qms_self_contained_pdf", default=False)
# The bundles inlined within one self_contained_pdf() block, by (bundle, type, direction): the pages
# of a batch of records carry the same stylesheets, read once (issue 14.6: the evidence pack prints
# slips by the batch, in a number of queries that does not grow with the batch).
SELF_CONTAINED_BUNDLES = contextvars.ContextVar("qms_self_contained_bundles", default=None)


@contextlib.contextmanager
def self_contained_pdf():
    """Within this block, PDFs are rendered from self-contained pages (report/qms_minimal_layout.xml)."""
    token = SELF_CONTAINED_PDF.set(True)
    bundles = SELF_CONTAINED_BUNDLES.set({})
    try:
        yield
    finally:
        SELF_CONTAINED_BUNDLES.reset(bundles)
        SELF_CONTAINED_PDF.reset(token)


@functools.lru_cache(maxsize=64)
def _static_file_data_uri(path):
    """data: URI of an addon's static font file (static files do not change while Odoo runs);
    an empty one for another format or a missing file: one of them must not void a whole
    @font-face src list."""
    mimetype = next((mime for ext, mime in INLINE_FONTS.items() if path.endswith(ext)), None)
    try:
        if mimetype:
            with open(file_path(path.lstrip("/")), "rb") as font:
                return f"data:{mimetype};base64,{base64.b64encode(font.read()).decode()}"
    except (FileNotFoundError, ValueError):
        pass
    return "data:,"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def retrieve_attachment(self, record):
        """A submitted yearly report prints the copy it froze, never another file of the report that
        merely carries that copy's name (Odoo looks the printed copy up by name)."""
        if record._name == "qms.annual.report" and self.attachment:
            return record._qms_printed_copy().with_env(self.env) or None
        return super().retrieve_attachment(record)

    def _get_layout(self):
        """Within self_contained_pdf(), the pages are rendered from the copy of Odoo's layout that
        writes the asset bundles into them (report/qms_minimal_layout.xml). The one override of
        the PDF engine: core chooses the layout of the pages here and nowhere else;
        tests/test_annual_report.py fails when core renders its pages otherwise."""
        if SELF_CONTAINED_PDF.get():
            layout = self.env.ref("qms_customer.qms_minimal_layout_self_contained", raise_if_not_found=False)
            if layout:
                return layout
        return super()._get_layout()

    def _qms_inline_bundle(self, bundle_name, asset_type):
        """The stylesheets (``asset_type`` "css", autoprefixed as web.minimal_layout asks) or the
        scripts ("js") of an asset bundle, to write inside a <style> or <script> element, as
        /web/assets/ would serve them; the fonts they name as data: URIs."""
        css = asset_type == "css"
        rtl = self.env["res.lang"].sudo()._get_data(code=self.env.lang or self.env.user.lang).direction == "rtl"
        inlined = SELF_CONTAINED_BUNDLES.get()
        key = (bundle_name, asset_type, rtl)
        if inlined is not None and key in inlined:
            return inlined[key]
        bundle = self.env["ir.qweb"]._get_asset_bundle(bundle_name, css=css, js=not css, rtl=rtl, autoprefix=css)
        if css:
            text = bundle.css().raw.decode() if bundle.stylesheets else ""
            text = STATIC_URL.sub(lambda match: f'url("{_static_file_data_uri(match["path"])}")', text)
        else:
            text = bundle.js().raw.decode() if bundle.javascripts else ""
        # inside <style>/<script> the page must not see a closing tag or a comment opening
        text = Markup(re.sub(r"<(/(?:script|style)|!--)", r"<\\\1", text, flags=re.IGNORECASE))
        if inlined is not None:
            inlined[key] = text
        return text
