"""PySide6 6.12.0 dropped a reference to True/False on every signal emitted from Python
(and to None on every Python callback); Python 3.11 aborts after a few thousand. This
guards the pinned binding: many emits must leave the reference counts where they were."""

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class O(QObject):
    ping = Signal(int)
o = O(); seen = []
o.ping.connect(seen.append)
before = sys.getrefcount(True), sys.getrefcount(None)
for i in range(20000):
    o.ping.emit(i)
after = sys.getrefcount(True), sys.getrefcount(None)
assert len(seen) == 20000
print(before[0] - after[0], before[1] - after[1])
"""


def test_signals_do_not_leak_references_to_true_false_or_none():
    # A child process: with the bug, the interpreter aborts instead of failing an assert.
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    lost_true, lost_none = map(int, done.stdout.split())
    assert abs(lost_true) < 50 and abs(lost_none) < 50
