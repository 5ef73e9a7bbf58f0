from . import test_roles
from . import test_complaint_workflow
