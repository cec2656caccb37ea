"""A named list of contributions: how an upper app adds to what a lower one does.

A lower app declares a hook and calls what is registered; upper apps register from
``AppConfig.ready()``, so contributions run in ``INSTALLED_APPS`` order, which follows the layers.
"""

from collections.abc import Callable
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable)


class Hook(Generic[F]):
    """A named list of contributions; ``register`` is usable as a decorator."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.__doc__ = doc
        self._contributions: list[F] = []

    def register(self, contribution: F) -> F:
        if contribution not in self._contributions:
            self._contributions.append(contribution)
        return contribution

    def __iter__(self):
        return iter(list(self._contributions))

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._contributions)} contribution(s)>"
