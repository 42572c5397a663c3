"""How refdb's plain data types cross process boundaries.

Parsed cables travel from the parser processes to the writer, and resolutions from
the resolve workers back, as pickles.  A ``slots=True`` dataclass pickles through the
``__getstate__``/``__setstate__`` that ``dataclasses`` adds, which calls ``fields()``
for every object: for the ~90 objects of a parsed cable that made pickling and
unpickling cost 0.12 ms a cable (6,000 generated cables: 0.72 s), more than parsing's
share of some phases.  :func:`plain_pickle` replaces them with a tuple of the slot
values, read by one ``operator.attrgetter``.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import TypeVar

T = TypeVar("T", bound=type)


def plain_pickle(cls: T) -> T:
    """Class decorator (under ``@dataclass(slots=True)``): pickle as the tuple of field
    values, in field order."""
    names = tuple(f.name for f in fields(cls))
    if len(names) < 2:
        raise TypeError(f"{cls.__name__}: plain_pickle needs two fields or more (attrgetter returns a tuple)")
    get = attrgetter(*names)
    setattr_ = object.__setattr__  # frozen dataclasses refuse their own __setattr__

    def __getstate__(self):  # type: ignore[no-untyped-def]
        return get(self)

    def __setstate__(self, state) -> None:  # type: ignore[no-untyped-def]
        for name, value in zip(names, state, strict=True):
            setattr_(self, name, value)

    cls.__getstate__ = __getstate__  # type: ignore[attr-defined]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls
