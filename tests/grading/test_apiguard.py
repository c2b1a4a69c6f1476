"""Library-level rules: the runner's recording wrappers for forbidden Python APIs.

Installed in a child interpreter, as the runner does, since they change torch's modules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HARNESS_PARENT = Path(__file__).resolve().parents[2] / "workers" / "grading"

PROBE = """
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
from harness.apiguard import ApiGuard
import torch

guard = ApiGuard()
guard.install(["torch.optim.*", "torch.nn.functional.softmax"])
seen = {}

def record(label):
    seen[label] = list(guard.called)
    guard.called.clear()

import torch.optim  # importing is not calling
record("import")
from torch.optim.adamw import adamw
p, g = torch.zeros(3), torch.ones(3)
adamw([p], [g], [torch.zeros(3)], [torch.zeros(3)], [], [torch.tensor(0.0)], foreach=False,
      amsgrad=False, beta1=0.9, beta2=0.99, lr=0.1, weight_decay=0.0, eps=1e-8, maximize=False)
record("functional")
sys.modules["torch.optim.adam"]._multi_tensor_adam  # looked up, not called
record("lookup")
torch.optim.SGD([torch.nn.Parameter(torch.zeros(2))], lr=0.1)
record("class")
torch.nn.functional.softmax(torch.ones(3), dim=0)
record("callable")
torch.ones(3).exp().sum()
record("plain torch")
seen["tampered_before"] = guard.tampered()
importlib.reload(sys.modules["torch.optim.sgd"])
seen["tampered_after_reload"] = guard.tampered()
print(json.dumps(seen))
"""


def test_calls_not_imports_are_recorded_with_the_api_name() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, str(HARNESS_PARENT)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["import"] == [] and seen["lookup"] == [] and seen["plain torch"] == []
    assert seen["functional"][0] == "torch.optim.adamw.adamw"
    assert "torch.optim.sgd.SGD.__init__" in seen["class"]
    assert seen["callable"] == ["torch.nn.functional.softmax"]
    assert seen["tampered_before"] is False and seen["tampered_after_reload"] is True


METHOD_PROBE = """
import datetime, json, sys, threading
sys.path.insert(0, sys.argv[1])
from harness.apiguard import ApiGuard
import torch
import torch.distributed as dist

guard = ApiGuard()
guard.install(["torch._C._distributed_c10d.Backend.allreduce", "torch.distributed.all_reduce"])
group = dist.ProcessGroupGloo(dist.HashStore(), 0, 1, datetime.timedelta(seconds=30))
seen = {"made": list(guard.called)}
value = torch.ones(3)
rank = threading.Thread(target=lambda: group.allreduce([value]).wait())  # in a rank's thread
rank.start()
rank.join()
seen["method"] = list(guard.called)
seen["value"] = value.tolist()
print(json.dumps(seen))
"""


def test_a_method_of_a_c_extension_class_is_recorded_from_any_thread() -> None:
    """What `rules.required_apis` relies on: a gloo backend's allreduce, called on an instance in
    a rank's thread, reaches the wrapper put on the pybind class."""
    done = subprocess.run([sys.executable, "-c", METHOD_PROBE, str(HARNESS_PARENT)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["made"] == []
    assert seen["method"] == ["torch._C._distributed_c10d.Backend.allreduce"]
    assert seen["value"] == [1.0, 1.0, 1.0]
