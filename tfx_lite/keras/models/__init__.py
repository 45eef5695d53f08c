"""keras.models: Model (subclassed or functional) and Sequential."""
from tfx_lite.keras.models.functional import Functional  # noqa: F401
from tfx_lite.keras.models.model import Model  # noqa: F401
from tfx_lite.keras.models.sequential import Sequential  # noqa: F401
from tfx_lite.keras.saving import load_model  # noqa: F401,E402
