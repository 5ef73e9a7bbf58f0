from . import portal
from . import improvement_notice
