"""Library-level rules: recording calls to Python APIs, named by dotted path, that a question
forbids (`rules.forbidden_apis`) or of which it requires one (`rules.required_apis`).

A question may forbid whole modules (`torch.optim`, `optax`: the module and every submodule,
private ones included, so `torch.optim.adamw._multi_tensor_adamw` counts as `torch.optim`) or
single callables (`torch.nn.functional.softmax`). Before the candidate's code is imported,
every function those modules define is replaced by a recording wrapper, wherever the
framework's modules expose it, and the methods of the classes they define are wrapped in
place (so `torch.optim.AdamW(...)` is seen through `__init__`). Importing a forbidden module is
fine; calling into it is what gets reported, with the API's name. A path may also end in a
method of a class, a C extension's included (`torch._C._distributed_c10d.ProcessGroup.allreduce`):
the class's attribute is replaced, so calls through any instance are seen.

This runs inside the candidate's process, so it is advisory: code determined to get around it
can (reloading a module, digging the original out of the wrapper). `tampered()` catches the
plain ways of undoing the wrappers; the judge documents the limit (docs/GRADING.md).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import types
from collections.abc import Callable
from typing import Any

# Modules whose namespaces are searched for other references to a forbidden callable.
_FRAMEWORK_ROOTS = {"torch", "jax", "jaxlib", "optax", "flax", "numpy"}
_KEPT_DUNDERS = {"__init__", "__call__", "__new__"}


class ApiGuard:
    def __init__(self) -> None:
        self.called: dict[str, None] = {}  # in the order first called
        self._installed: list[tuple[Any, str, Any]] = []  # (owner, attribute, wrapper)
        self._wrappers: dict[int, Callable[..., Any]] = {}
        self._originals: list[Any] = []  # keeps originals alive so their ids stay unique
        self._done: set[int] = set()  # ids of wrappers and of classes already guarded

    def install(self, paths: list[str]) -> None:
        roots = set(_FRAMEWORK_ROOTS)
        for path in (p.removesuffix(".*") for p in paths):  # `torch.optim.*` means `torch.optim`
            roots.add(path.split(".")[0])
            module = _import(path)
            if module is not None:
                self._guard_module_tree(path)
            else:
                self._guard_callable(path)
        self._replace_references(roots)

    def tampered(self) -> bool:
        """True when a wrapper installed here is no longer in place (reloaded, reassigned)."""
        return any(not _leads_to(_raw(owner, name), wrapper) for owner, name, wrapper in self._installed)

    # -- installing ---------------------------------------------------------------------

    def _guard_module_tree(self, prefix: str) -> None:
        _import_submodules(prefix)
        for name, module in list(sys.modules.items()):
            if module is not None and (name == prefix or name.startswith(prefix + ".")):
                for attr, value in list(vars(module).items()):
                    if not attr.startswith("__") and _defined_under(value, prefix):
                        self._guard_value(module, attr, value)

    def _guard_callable(self, path: str) -> None:
        owner_path, _, attr = path.rpartition(".")
        owner = _resolve(owner_path)
        if owner is None or not hasattr(owner, attr):
            return  # not installed here: the candidate cannot call it either
        value = vars(owner).get(attr) if isinstance(owner, type) else getattr(owner, attr)
        if isinstance(owner, type) and value is not None and not isinstance(value, type):
            # A method (`...ProcessGroup.allreduce`, a C extension's included): wrapped on the
            # class itself, so that every instance, of subclasses too, calls the wrapper.
            self._set(owner, attr, self._wrapper_for(value, label=path))
            return
        self._guard_value(owner, attr, getattr(owner, attr), label=path)

    def _guard_value(self, owner: Any, attr: str, value: Any, label: str | None = None) -> None:
        if id(value) in self._done:
            return
        if isinstance(value, type):
            self._guard_class(value)
        elif callable(value) and not isinstance(value, types.ModuleType):
            self._set(owner, attr, self._wrapper_for(value, label))

    def _guard_class(self, cls: type) -> None:
        self._done.add(id(cls))
        label = f"{cls.__module__}.{cls.__qualname__}"
        for name, member in list(vars(cls).items()):
            if name.startswith("__") and name not in _KEPT_DUNDERS:
                continue
            if isinstance(member, staticmethod | classmethod):
                wrapped = type(member)(self._wrapper_for(member.__func__, f"{label}.{name}"))
                self._set(cls, name, wrapped)
            elif isinstance(member, types.FunctionType):
                self._set(cls, name, self._wrapper_for(member, f"{label}.{name}"))

    def _wrapper_for(self, original: Any, label: str | None = None) -> Callable[..., Any]:
        existing = self._wrappers.get(id(original))
        if existing is not None:
            return existing
        name = label or f"{getattr(original, '__module__', '?')}.{getattr(original, '__qualname__', '?')}"
        called = self.called

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            called[name] = None
            return original(*args, **kwargs)

        # Looks like the original to introspection, without a __wrapped__ pointing back to it.
        for field in ("__name__", "__qualname__", "__doc__", "__module__"):
            try:
                setattr(wrapper, field, getattr(original, field))
            except (AttributeError, TypeError):
                pass
        self._wrappers[id(original)] = wrapper
        self._done.add(id(wrapper))
        self._originals.append(original)
        return wrapper

    def _set(self, owner: Any, attr: str, wrapper: Any) -> None:
        try:
            setattr(owner, attr, wrapper)
        except (AttributeError, TypeError):
            return  # a C type's attribute cannot be replaced; op-level rules cover those
        self._installed.append((owner, attr, wrapper))

    def _replace_references(self, roots: set[str]) -> None:
        """Other modules that imported a forbidden function (`from .adamw import adamw`)."""
        for name, module in list(sys.modules.items()):
            if module is None or name.split(".")[0] not in roots:
                continue
            for attr, value in list(vars(module).items()):
                wrapper = self._wrappers.get(id(value))
                if wrapper is not None and value is not wrapper:
                    self._set(module, attr, wrapper)


def _import(name: str) -> types.ModuleType | None:
    try:
        return importlib.import_module(name)
    except Exception:  # not a module (a callable's path), or not installed
        return None


def _resolve(path: str) -> Any:
    """A module, or an attribute (a class) of the longest importable module prefix of `path`."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        value: Any = _import(".".join(parts[:cut]))
        if value is None:
            continue
        for name in parts[cut:]:
            value = getattr(value, name, None)
            if value is None:
                return None
        return value
    return None


def _import_submodules(prefix: str) -> None:
    """Every submodule, private ones included; test modules are skipped."""
    package = sys.modules.get(prefix)
    search = getattr(package, "__path__", None)
    if search is None:
        return
    try:
        names = [info.name for info in pkgutil.walk_packages(search, prefix + ".", onerror=lambda _: None)]
    except Exception:  # a package that fails to import while being walked
        names = []
    for name in names:
        leaf = name.rsplit(".", 1)[-1]
        if not (leaf.endswith("_test") or leaf in ("tests", "testing", "conftest")):
            _import(name)


def _defined_under(value: Any, prefix: str) -> bool:
    module = getattr(value, "__module__", None)
    return isinstance(module, str) and (module == prefix or module.startswith(prefix + "."))


def _raw(owner: Any, name: str) -> Any:
    return vars(owner).get(name) if isinstance(owner, type) else getattr(owner, name, None)


def _leads_to(current: Any, wrapper: Any) -> bool:
    """`current` is the wrapper, or wraps it (torch.optim re-wraps `step` with a profiling hook
    when an optimizer is made, keeping ours as `__wrapped__`)."""
    for _ in range(8):
        if current is wrapper:
            return True
        current = getattr(current, "__wrapped__", None)
        if current is None:
            return False
    return False
