"""Compiled templates shared by a build's Jinja environments, and kept by the preview
from one build to the next.

Pelican makes a new Jinja environment for every generator, and each compiles the templates
it renders again: in one build base.html, the header, the footer and the macros three
times each (11 of 34 compilations); in the preview, every template of every build (a tenth
of a warm save's time at 1,000 articles). Jinja's own bytecode cache keeps the compiled
code by template name and file, and uses it only while the source's checksum is the one it
was compiled from; the key here also holds what else the compiler reads from the
environment (its class, its syntax, its extensions, and each filter and test: the code
passes a filter its context or environment as the filter asks, and the optimiser runs a
filter given a constant while it compiles), so an environment set up otherwise never gets
another's code. A build has one (plugin.py); the preview installs its own, which lives as
long as the preview.
"""

from __future__ import annotations

from functools import partial
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

# The environment's settings the compiler reads (Environment.overlay's list, less the
# loader and the caches, which do not change what a template compiles to).
COMPILER_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string",
    "variable_end_string", "comment_start_string", "comment_end_string",
    "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "finalize", "autoescape",
    "is_async", "code_generator_class", "context_class", "undefined", "sandboxed")
FUNCTIONS = (FunctionType, BuiltinFunctionType, MethodType)


def signature(environment: Environment) -> str:
    """What, besides the template's source, its compiled code depends on."""
    settings = tuple((name, repr(getattr(environment, name, None)))
                     for name in COMPILER_SETTINGS)
    return repr((type(environment), settings, sorted(environment.extensions),
                 _functions(environment.filters), _functions(environment.tests)))


def _functions(named: dict[str, Any]) -> list[tuple[str, object]]:
    return sorted((name, _behaviour(function)) for name, function in named.items())


def _behaviour(function: Any) -> object:
    """What a filter or test does: a function by its identity (two of one name may do
    different things; the cache holds each, so no other can take its id); Pelican's
    per-generator ones by what makes them: a partial by its function and arguments, an
    object such as its date formatter by its class and attributes."""
    if isinstance(function, partial):
        return ("partial", _behaviour(function.func), repr(function.args),
                repr(sorted(function.keywords.items())))
    if isinstance(function, FUNCTIONS) or not hasattr(function, "__dict__"):
        return (repr(function), id(function))
    return (repr(type(function)), id(type(function)), repr(sorted(vars(function).items())))


class CompiledTemplates(BytecodeCache):
    """Code objects by (environment's signature, template name and file), each with the
    checksum of the source it was compiled from."""

    def __init__(self) -> None:
        self.code: dict[str, tuple[str, Any]] = {}
        # The filters and tests each signature names by id, held: no other function can
        # be given the id of one a key names while the cache lives.
        self._held: dict[str, tuple[Any, ...]] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        compiler = signature(environment)
        self._held.setdefault(compiler, (*environment.filters.values(),
                                         *environment.tests.values()))
        key = f"{compiler}\0{self.get_cache_key(name, filename)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.code[bucket.key] = (bucket.checksum, bucket.code)
