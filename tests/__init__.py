from . import test_roles
from . import test_complaint_workflow
from . import test_complaint_access
from . import test_complaint_performance
from . import test_complaint_reports
from . import test_i18n
from . import test_fuzz
from . import test_scale
