from . import qms_complaint_cancel
