from . import res_company
from . import res_config_settings
from . import res_partner
from . import qms_complaint
from . import qms_complaint_line
from . import qms_corrective_action
from . import qms_corrective_action_revision
from . import sale_order
