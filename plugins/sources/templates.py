"""Compiled templates shared by a build's Jinja environments, and kept by the preview
from one build to the next.

Pelican makes a new Jinja environment for every generator, and each compiles the templates
it renders again: in one build base.html, the header, the footer and the macros three
times each (11 of 34 compilations); in the preview, every template of every build (a tenth
of a warm save's time at 1,000 articles). Jinja's own bytecode cache keeps the compiled
code by template name and file, and uses it only while the source's checksum is the one it
was compiled from; the key here also holds what else the compiler reads from the
environment (its syntax and its extensions), so an environment set up otherwise never
gets another's code (filters and tests are looked up as a template runs). A build has one
(plugin.py); the preview installs its own, which lives as long as the preview.
"""

from __future__ import annotations

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
    "is_async", "code_generator_class", "context_class")


def signature(environment: Environment) -> str:
    """What, besides the template's source, its compiled code depends on."""
    settings = tuple((name, repr(getattr(environment, name, None)))
                     for name in COMPILER_SETTINGS)
    return repr((settings, sorted(environment.extensions)))


class CompiledTemplates(BytecodeCache):
    """Code objects by (environment's signature, template name and file), each with the
    checksum of the source it was compiled from."""

    def __init__(self) -> None:
        self.code: dict[str, tuple[str, Any]] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        key = f"{signature(environment)}\0{self.get_cache_key(name, filename)}"
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
