"""Models of the afwegingskader, help plan and melding; import them from `decisions.models`."""

from decisions.models.frameworks import *  # noqa: F401,F403
from decisions.models.help import *  # noqa: F401,F403
from decisions.models.reports import *  # noqa: F401,F403
from decisions.models.weighing import *  # noqa: F401,F403
