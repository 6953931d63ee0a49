import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the real user's settings or data.
os.environ.setdefault("DESK_CONFIG", str(Path("/nonexistent/desk.ini")))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest

from app import i18n
from tests import memory_keyring

# The local databases are encrypted; their key comes from this in-memory keyring.
memory_keyring.install()


@pytest.fixture(autouse=True)
def finnish_by_default():
    i18n.set_language("fi")
    yield
    i18n.set_language("fi")


@pytest.fixture
def services(tmp_path):
    from tests.factories import open_services

    svc = open_services(tmp_path)
    yield svc
    svc.close()


@pytest.fixture
def signed_in(services):
    services.auth.sign_in("coach", "demo")
    return services
