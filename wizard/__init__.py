from . import qms_complaint_cancel
from . import qms_remedy_override
from . import qms_communication_plan_fill
from . import qms_communication_plan_fill_activity
from . import qms_service_acceptance
