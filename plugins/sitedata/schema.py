"""The shape of pharmacy.yaml, declared once, and a pure validator over its YAML nodes.

A value of the wrong type (a list for the name, a number for a phone, a mapping for the
states) would be printed as Python's repr on every page, or break a template; each is
one located error instead, and the value is left out of the build's data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml

from plugins.diagnostics import Finding, did_you_mean
from plugins.sources.yamldoc import Position, mapping_pairs, node_position

from .facts import is_placeholder

TEXT = "text"
TEXTS = "a list of text"
TEXT_OR_TEXTS = "text or a list of text"  # one channel, or several
IMAGE = "the path of an image under content/images/"  # text, checked as an address
IMAGE_PATH = re.compile(r"images/[A-Za-z0-9][A-Za-z0-9._-]*\.(?:png|jpe?g|gif|webp|avif|svg)")


@dataclass(frozen=True)
class EachOf:
    """A mapping whose keys the editor chooses (a person's key), each value of ``shape``."""

    shape: dict[str, Any]


PERSON = {"role": TEXT, "name": TEXT, "credentials": TEXT, "licence_state": TEXT,
          "photo": IMAGE, "bio": TEXT}
PHARMACY: dict[str, Any] = {
    "name": TEXT, "short_name": TEXT, "wordmark": TEXTS, "state": TEXT,
    "accreditation": TEXT, "ships_to": TEXTS, "ships_to_names": TEXTS,
    "contact": {"phone": TEXT, "fax": TEXT, "email": TEXT, "address": TEXT, "hours": TEXT},
    "prescription_channels": TEXT_OR_TEXTS, "dosage_forms": TEXT_OR_TEXTS,
    "price": TEXT, "insurance": TEXT,
    "people": EachOf(PERSON),
}
SCHEMAS = {"PHARMACY": PHARMACY}  # SITE_DATA names that have a declared shape
EXAMPLES = {TEXT: "name: Example Pharmacy", TEXTS: "ships_to: [MI, OH]"}


class Refused(NamedTuple):
    """A value that does not fit the shape: left out of the data, and why."""

    field: tuple[str, ...]  # the field whose value is left out (a list: all of it)
    finding: Finding


def _refused(field: tuple[str, ...], where: Position, code: str, message: str,
             hint: str) -> Refused:
    return Refused(field, Finding.at(where, code, message, hint))


def _what(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping of fields"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag.endswith(("int", "float")):
        return f"the number {node.value}"
    if node.tag.endswith("bool"):
        return f"'{node.value}' (true or false)"
    return f"'{str(node.value)[:80]}'"


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith("null")


def _is_text(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str")


def _check(node: yaml.Node, shape: Any, path: tuple[str, ...],
           name: str) -> Iterator[Refused]:
    where = node_position(node)
    label = ".".join(path) or "the file"
    if _is_null(node) and path:
        return  # an empty field is treated as absent
    if shape == TEXT_OR_TEXTS:
        shape = TEXT if isinstance(node, yaml.ScalarNode) else TEXTS
    if shape == IMAGE:
        # Printed as an <img src>: a path or another site would load from elsewhere.
        if _is_text(node) and not IMAGE_PATH.fullmatch(str(node.value)) \
                and not is_placeholder(str(node.value)):
            yield _refused(path, where, "sitedata.bad-image",
                          f"{label} must be {IMAGE}, not {_what(node)}",
                          "put the picture in content/images/ and write e.g. "
                          "photo: images/jane-example.jpg")
            return
        shape = TEXT
    if shape == TEXT and not _is_text(node):
        yield _refused(path, where, "sitedata.bad-type",
                      f"{label} must be text, not {_what(node)}",
                      "put the value in quotes on one line, e.g. "
                      f"{path[-1]}: \"...\"" if path else EXAMPLES[TEXT])
    elif shape == TEXTS:
        if not isinstance(node, yaml.SequenceNode):
            yield _refused(path, where, "sitedata.bad-type",
                          f"{label} must be a list of text, not {_what(node)}",
                          f"write it in brackets, e.g. {path[-1]}: [first, second]"
                          if path else EXAMPLES[TEXTS])
            return
        for index, item in enumerate(node.value):
            if not _is_text(item):
                yield _refused(path, node_position(item), "sitedata.bad-type",
                              f"item {index + 1} of {label} must be text, not {_what(item)}",
                              "put quotes around it")
    elif isinstance(shape, dict | EachOf):
        yield from _check_mapping(node, shape, path, name)


def _check_mapping(node: yaml.Node, shape: dict[str, Any] | EachOf, path: tuple[str, ...],
                   name: str) -> Iterator[Refused]:
    if not isinstance(node, yaml.MappingNode):
        label = ".".join(path) or "the file"
        yield _refused(path, node_position(node), "sitedata.bad-type",
                      f"{label} must be a mapping of fields (key: value lines), not "
                      f"{_what(node)}", f"see the comments in {name} for its fields")
        return
    for key, key_node, value in mapping_pairs(node):
        if isinstance(shape, EachOf):
            yield from _check(value, shape.shape, (*path, key), name)
        elif key in shape:
            yield from _check(value, shape[key], (*path, key), name)
        else:
            yield _refused((*path, key), node_position(key_node), "sitedata.unknown-field",
                          f"unknown field '{'.'.join((*path, key))}'",
                          did_you_mean(key, shape)
                          or f"the fields are explained in the comments of {name}")


def check_shape(node: yaml.Node | None, shape: dict[str, Any], name: str) -> list[Refused]:
    """Every value of the composed file ``node`` that does not fit ``shape``."""
    if node is None:
        return []
    return list(_check(node, shape, (), name))


def without(data: Any, problems: list[Refused]) -> Any:
    """``data`` with every value a problem names left out (the file's, if the root)."""
    for problem in problems:
        if not problem.field:
            return {}
        parent = data
        for step in problem.field[:-1]:
            parent = parent.get(step) if isinstance(parent, dict) else None
        if isinstance(parent, dict):
            parent.pop(problem.field[-1], None)
    return data
