from . import qms_complaint_cancel
from . import qms_remedy_override
