from .reports import *  # noqa: F403
from .sections import *  # noqa: F403
from .templates import *  # noqa: F403
