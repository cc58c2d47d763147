"""The segment rule language: a small, safe filter over the user-tag table, parsed (never evaluated) and compiled to
parameterised SQL for DuckDB and PostgreSQL.

    monthly_active = true and aum_band in ('1k-10k','10k-50k') and (age_band >= '25-34' or city_tier <= 2)
    products_held contains 'suixinfen' and risk_grade is not null and not is_merchant

Grammar (keywords are case-insensitive; a rule is at most `MAX_RULE_CHARS` characters)::

    rule       := or EOF
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" or ")" | condition
    condition  := FIELD op value                      op: = != <> < <= > >=
                | FIELD ["not"] "in" "(" value ("," value)* ")"
                | FIELD ["not"] "between" value "and" value
                | FIELD "is" ["not"] "null"
                | FIELD ["not"] "contains" 'text'   (products_held only)
                | FIELD                               (a yes/no tag alone means "= true")
    value      := 'text' (a quote inside is doubled: 'it''s') | number | true | false

Only the fields in `FIELDS` exist, each with a type that every condition is checked against: a band takes one of
its labels and compares in band order (`aum_band >= '10k-50k'` is the three richest bands), a grade takes 1..5, a
yes/no tag takes true or false. Values always travel as query parameters; field names come from the whitelist, so
no text of a rule ever reaches the SQL. Comparisons follow SQL: one with a missing value (`risk_grade`,
`merchant_monthly_sales`, `days_since_overdue`) is never true, not even under `not`; `is null` selects those users.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Dialect = Literal["duckdb", "postgres"]
Value = str | int | float | bool

MAX_RULE_CHARS = 4_000
"""Longer rules are refused: a person writes a few lines, not a dump."""
MAX_DEPTH = 40
"""Deepest nesting of parentheses and `not`: keeps the recursive parser far from Python's recursion limit."""
MAX_IN_VALUES = 500
"""Most values in one `in (...)` list."""

AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AUM_BANDS = ("0", "<1k", "1k-10k", "10k-50k", "50k-200k", "200k-1m", "1m+")


@dataclass(frozen=True)
class FieldSpec:
    """One field a rule may use: its kind and what its values may be."""

    name: str
    kind: Literal["band", "int", "number", "bool", "text", "list"]
    label: str
    """The field in Chinese words, for `describe_rule`."""
    bands: tuple[str, ...] = ()
    """The labels of a band, in order."""
    low: float | None = None
    high: float | None = None
    nullable: bool = False


FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("user_id", "text", "用户 ID"),
    FieldSpec("age_band", "band", "年龄段", bands=AGE_BANDS),
    FieldSpec("age", "int", "年龄", low=0, high=130),
    FieldSpec("city_tier", "int", "城市等级", low=1, high=5),
    FieldSpec("risk_grade", "int", "风险测评等级（C1-C5）", low=1, high=5, nullable=True),
    FieldSpec("aum_band", "band", "资产段", bands=AUM_BANDS),
    FieldSpec("aum", "number", "平台资产（元）", low=0),
    FieldSpec("products_held", "list", "持有产品"),
    FieldSpec("days_since_login", "int", "距上次登录天数", low=0),
    FieldSpec("days_since_signup", "int", "注册天数", low=0),
    FieldSpec("monthly_active", "bool", "月活"),
    FieldSpec("push_reachable", "bool", "可推送"),
    FieldSpec("sms_reachable", "bool", "可发短信"),
    FieldSpec("wechat_reachable", "bool", "可微信触达"),
    FieldSpec("is_merchant", "bool", "商家"),
    FieldSpec("merchant_monthly_sales", "number", "商家月流水（元）", low=0, nullable=True),
    FieldSpec("credit_granted", "bool", "已授信"),
    FieldSpec("is_student", "bool", "学生"),
    FieldSpec("has_overdue", "bool", "有逾期"),
    FieldSpec("days_since_overdue", "int", "距上次逾期天数（0 为正在逾期）", low=0, nullable=True),
    FieldSpec("income_drop", "bool", "近期收入下降"),
)}  # fmt: skip
"""The whitelist: UserTags without `source` and `as_of` (bookkeeping, not tags)."""

_ORDER_OPS = ("<", "<=", ">", ">=")


class RuleError(ValueError):
    """A rule that cannot be parsed or does not type-check; `position` is 1-based (len + 1 means the end)."""

    def __init__(self, message: str, position: int, rule: str = "") -> None:
        super().__init__(f"{message} at {position}")
        self.reason = message
        self.position = position
        self.rule = rule

    def pointer(self) -> str:
        """The rule with a caret under the offending character, for a terminal."""
        return f"{self.rule}\n{' ' * (self.position - 1)}^"


# ----------------------------------------------------------------------------------------------------------------
# Tokens
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One lexical token; `pos` is the 1-based column of its first character."""

    kind: Literal["word", "string", "number", "op", "(", ")", ",", "end"]
    text: str
    pos: int
    value: Value | None = None


_KEYWORDS = {"and", "or", "not", "in", "between", "is", "null", "contains", "true", "false"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_OPS = ("<=", ">=", "!=", "<>", "==", "=", "<", ">")


def tokenize(text: str) -> list[Token]:
    """Split a rule into tokens; anything outside the language (`;`, `--`, `"`) is an error at its position."""
    if len(text) > MAX_RULE_CHARS:
        raise RuleError(f"the rule is {len(text):,} characters long; at most {MAX_RULE_CHARS:,} are allowed", 1, text)
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        pos = i + 1
        if ch == "'":
            # A quote inside a string is written twice, as in SQL; the value never reaches the SQL text anyway.
            j, chars = i + 1, []
            while True:
                if j >= n:
                    raise RuleError("unterminated string: a closing ' is missing", pos, text)
                if text[j] == "'":
                    if j + 1 < n and text[j + 1] == "'":
                        chars.append("'")
                        j += 2
                        continue
                    break
                chars.append(text[j])
                j += 1
            tokens.append(Token("string", text[i : j + 1], pos, "".join(chars)))
            i = j + 1
            continue
        if m := _NUMBER.match(text, i):
            # `-` only starts a number when a digit follows; a word right after a number (`3abc`) is an error.
            end = m.end()
            if end < n and (text[end].isalnum() or text[end] == "_"):
                raise RuleError(f"unexpected {text[i:end + 1]!r}: a number must be followed by a space or an operator", pos, text)
            raw = m.group()
            number: int | float = int(raw) if re.fullmatch(r"-?\d+", raw) else float(raw)
            tokens.append(Token("number", raw, pos, number))
            i = end
            continue
        if m := _WORD.match(text, i):
            tokens.append(Token("word", m.group(), pos))
            i = m.end()
            continue
        op = next((o for o in _OPS if text.startswith(o, i)), None)
        if op is not None:
            if op == "==":
                raise RuleError("'==' is not an operator: write '='", pos, text)
            tokens.append(Token("op", "!=" if op == "<>" else op, pos))
            i += len(op)
            continue
        if ch in "(),":
            tokens.append(Token(ch, ch, pos))  # type: ignore[arg-type]
            i += 1
            continue
        if ch == '"':
            raise RuleError('text values take single quotes: \'like this\', not "like this"', pos, text)
        raise RuleError(f"unexpected character {ch!r}", pos, text)
    tokens.append(Token("end", "", n + 1))
    return tokens


# ----------------------------------------------------------------------------------------------------------------
# The syntax tree
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compare:
    """`field op value`, op one of = != < <= > >=."""

    field: str
    op: str
    value: Value
    pos: int


@dataclass(frozen=True)
class InList:
    """`field [not] in (v1, v2, ...)`."""

    field: str
    values: tuple[Value, ...]
    negated: bool
    pos: int


@dataclass(frozen=True)
class Between:
    """`field [not] between low and high` (both ends included)."""

    field: str
    low: Value
    high: Value
    negated: bool
    pos: int


@dataclass(frozen=True)
class IsNull:
    """`field is [not] null`."""

    field: str
    negated: bool
    pos: int


@dataclass(frozen=True)
class Contains:
    """`products_held [not] contains 'id'`: list membership."""

    field: str
    value: str
    negated: bool
    pos: int


@dataclass(frozen=True)
class Not:
    """`not item`."""

    item: Node
    pos: int


@dataclass(frozen=True)
class And:
    """All items hold."""

    items: tuple[Node, ...]
    pos: int


@dataclass(frozen=True)
class Or:
    """At least one item holds."""

    items: tuple[Node, ...]
    pos: int


Node = Compare | InList | Between | IsNull | Contains | Not | And | Or


@dataclass(frozen=True)
class Rule:
    """A parsed, type-checked rule: its text, its tree and the fields it reads."""

    text: str
    node: Node
    fields: frozenset[str]


# ----------------------------------------------------------------------------------------------------------------
# The parser
# ----------------------------------------------------------------------------------------------------------------


def _describe_token(tok: Token) -> str:
    return "the end of the rule" if tok.kind == "end" else repr(tok.text)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.fields: set[str] = set()

    # -- helpers ---------------------------------------------------------------------------------------------
    def error(self, message: str, pos: int) -> RuleError:
        return RuleError(message, pos, self.text)

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def is_word(self, *words: str) -> bool:
        return self.tok.kind == "word" and self.tok.text.lower() in words

    def expect_word(self, word: str, after: str) -> Token:
        if not self.is_word(word):
            raise self.error(f"expected '{word}' after {after}, found {_describe_token(self.tok)}", self.tok.pos)
        return self.advance()

    # -- grammar ---------------------------------------------------------------------------------------------
    def parse(self) -> Rule:
        if self.tok.kind == "end":
            raise self.error("the rule is empty: write a condition such as monthly_active = true", 1)
        node = self.parse_or()
        if self.tok.kind != "end":
            tok = self.tok
            hint = " (a ')' without its '('?)" if tok.kind == ")" else " (join conditions with 'and' or 'or')"
            raise self.error(f"unexpected {_describe_token(tok)}{hint}", tok.pos)
        return Rule(self.text, node, frozenset(self.fields))

    def parse_or(self) -> Node:
        first = self.parse_and()
        items = [first]
        while self.is_word("or"):
            self.advance()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items), _pos(first))

    def parse_and(self) -> Node:
        first = self.parse_not()
        items = [first]
        while self.is_word("and"):
            self.advance()
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else And(tuple(items), _pos(first))

    def parse_not(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"the rule nests deeper than {MAX_DEPTH} levels", self.tok.pos)
        try:
            tok = self.tok
            if self.is_word("not"):
                self.advance()
                return Not(self.parse_not(), tok.pos)
            if tok.kind == "(":
                self.advance()
                if self.tok.kind == ")":
                    raise self.error("empty parentheses: write a condition inside", self.tok.pos)
                node = self.parse_or()
                if self.tok.kind != ")":
                    raise self.error(f"expected ')' to close the '(' at {tok.pos}, found {_describe_token(self.tok)}", self.tok.pos)
                self.advance()
                return node
            return self.parse_condition()
        finally:
            self.depth -= 1

    def parse_field(self) -> FieldSpec:
        tok = self.tok
        if tok.kind != "word" or tok.text.lower() in _KEYWORDS:
            raise self.error(f"expected a field name, found {_describe_token(tok)}", tok.pos)
        name = tok.text.lower()
        spec = FIELDS.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]}?)" if close else f" (fields: {', '.join(FIELDS)})"
            raise self.error(f"unknown field {tok.text!r}{hint}", tok.pos)
        self.advance()
        self.fields.add(name)
        return spec

    def parse_condition(self) -> Node:
        field_tok = self.tok
        spec = self.parse_field()
        pos = field_tok.pos
        tok = self.tok
        if tok.kind == "op":
            self.advance()
            value_tok = self.parse_value(after=f"'{tok.text}'")
            return _check_compare(self, spec, tok.text, value_tok, pos)
        negated = False
        if self.is_word("not"):
            self.advance()
            negated = True
            if not self.is_word("in", "between", "contains"):
                raise self.error(f"expected 'in', 'between' or 'contains' after 'not', found {_describe_token(self.tok)}", self.tok.pos)
        if self.is_word("in"):
            return self.parse_in(spec, negated, pos)
        if self.is_word("between"):
            self.advance()
            low = self.parse_value(after="'between'")
            self.expect_word("and", "the lower end of 'between'")
            high = self.parse_value(after="'between ... and'")
            return _check_between(self, spec, low, high, negated, pos)
        if self.is_word("contains"):
            self.advance()
            value_tok = self.parse_value(after="'contains'")
            return _check_contains(self, spec, value_tok, negated, pos)
        if self.is_word("is"):
            self.advance()
            is_not = False
            if self.is_word("not"):
                self.advance()
                is_not = True
            if not self.is_word("null"):
                raise self.error(f"expected 'null' after 'is{' not' if is_not else ''}', found {_describe_token(self.tok)}", self.tok.pos)
            self.advance()
            if not spec.nullable:
                raise self.error(f"{spec.name} is never missing: 'is null' applies to {', '.join(f.name for f in FIELDS.values() if f.nullable)}", pos)
            return IsNull(spec.name, is_not, pos)
        if spec.kind == "bool" and (tok.kind in ("end", ")") or self.is_word("and", "or")):
            return Compare(spec.name, "=", True, pos)  # a yes/no tag alone: `monthly_active and ...`
        raise self.error(f"expected an operator (= != < <= > >= in between contains is) after {spec.name}, "
                         f"found {_describe_token(tok)}", tok.pos)  # fmt: skip

    def parse_in(self, spec: FieldSpec, negated: bool, pos: int) -> Node:
        self.advance()
        if self.tok.kind != "(":
            raise self.error(f"expected '(' after 'in', found {_describe_token(self.tok)}", self.tok.pos)
        self.advance()
        if self.tok.kind == ")":
            raise self.error("'in ()' needs at least one value", self.tok.pos)
        values = [self.parse_value(after="'('")]
        while self.tok.kind == ",":
            comma = self.advance()
            values.append(self.parse_value(after="','"))
            if len(values) > MAX_IN_VALUES:
                raise self.error(f"more than {MAX_IN_VALUES} values in one 'in' list", comma.pos)
        if self.tok.kind != ")":
            raise self.error(f"expected ',' or ')' in the 'in' list, found {_describe_token(self.tok)}", self.tok.pos)
        self.advance()
        return _check_in(self, spec, values, negated, pos)

    def parse_value(self, after: str) -> Token:
        tok = self.tok
        if tok.kind in ("string", "number"):
            return self.advance()
        if self.is_word("true", "false"):
            self.advance()
            return Token("word", tok.text, tok.pos, tok.text.lower() == "true")
        if self.is_word("null"):
            raise self.error("compare with null using 'is null' or 'is not null'", tok.pos)
        if tok.kind == "word" and tok.text.lower() not in _KEYWORDS:
            raise self.error(f"expected a value after {after}, found the word {tok.text!r} (text takes single quotes: '{tok.text}')", tok.pos)
        raise self.error(f"expected a value after {after}", tok.pos)


def _pos(node: Node) -> int:
    return node.pos


# ----------------------------------------------------------------------------------------------------------------
# Type checks: one function per condition shape, each with the message a marketer can act on
# ----------------------------------------------------------------------------------------------------------------


def _kind_of(tok: Token) -> str:
    if isinstance(tok.value, bool):
        return "true/false"
    return "a number" if tok.kind == "number" else "text"


def _check_value(p: _Parser, spec: FieldSpec, tok: Token) -> Value:
    """The token's value if it fits the field, else an error that says what fits."""
    value = tok.value
    assert value is not None
    if spec.kind == "band":
        if not isinstance(value, str) or isinstance(value, bool):
            raise p.error(f"{spec.name} is a band: compare it with one of {_quoted(spec.bands)}, not {_kind_of(tok)}", tok.pos)
        if value not in spec.bands:
            close = difflib.get_close_matches(value, spec.bands, n=1, cutoff=0.5)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise p.error(f"'{value}' is not a valid {spec.name}{hint}; expected one of {_quoted(spec.bands)}", tok.pos)
        return value
    if spec.kind in ("int", "number"):
        if tok.kind != "number":
            raise p.error(f"{spec.name} is a number: compare it with a number, not {_kind_of(tok)}", tok.pos)
        assert isinstance(value, (int, float))
        if spec.kind == "int" and not isinstance(value, int):
            raise p.error(f"{spec.name} is a whole number, not {tok.text}", tok.pos)
        if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
            span = f"{spec.low:g}..{spec.high:g}" if spec.high is not None else f"at least {spec.low:g}"
            raise p.error(f"{spec.name} is {span}; {tok.text} is out of range", tok.pos)
        return value
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise p.error(f"{spec.name} is a yes/no tag: compare it with true or false, not {_kind_of(tok)}", tok.pos)
        return value
    if spec.kind == "text":
        if not isinstance(value, str) or tok.kind != "string":
            raise p.error(f"{spec.name} is text: compare it with a value in single quotes, not {_kind_of(tok)}", tok.pos)
        return value
    raise p.error(f"{spec.name} is a list of product ids: use {spec.name} contains 'id'", tok.pos)


def _check_compare(p: _Parser, spec: FieldSpec, op: str, tok: Token, pos: int) -> Node:
    if spec.kind == "list":
        raise p.error(f"{spec.name} is a list of product ids: use {spec.name} contains 'id', not '{op}'", pos)
    value = _check_value(p, spec, tok)
    if op in _ORDER_OPS and spec.kind in ("bool", "text"):
        raise p.error(f"'{op}' does not apply to {spec.name}: use = or !=", pos)
    return Compare(spec.name, op, value, pos)


def _check_in(p: _Parser, spec: FieldSpec, toks: list[Token], negated: bool, pos: int) -> Node:
    if spec.kind == "list":
        raise p.error(f"{spec.name} is a list of product ids: use {spec.name} contains 'id' (joined with or)", pos)
    values = tuple(dict.fromkeys(_check_value(p, spec, t) for t in toks))  # duplicates change nothing
    return InList(spec.name, values, negated, pos)


def _check_between(p: _Parser, spec: FieldSpec, low_tok: Token, high_tok: Token, negated: bool, pos: int) -> Node:
    if spec.kind in ("bool", "text", "list"):
        raise p.error(f"'between' does not apply to {spec.name}", pos)
    low, high = _check_value(p, spec, low_tok), _check_value(p, spec, high_tok)
    if _order(spec, low) > _order(spec, high):
        raise p.error(f"'between {low_tok.text} and {high_tok.text}' is empty: put the lower end first", low_tok.pos)
    return Between(spec.name, low, high, negated, pos)


def _check_contains(p: _Parser, spec: FieldSpec, tok: Token, negated: bool, pos: int) -> Node:
    if spec.kind != "list":
        raise p.error(f"'contains' applies to products_held only, not {spec.name}", pos)
    if tok.kind != "string":
        raise p.error(f"products_held contains a product id in single quotes, not {_kind_of(tok)}", tok.pos)
    assert isinstance(tok.value, str)
    return Contains(spec.name, tok.value, negated, pos)


def _order(spec: FieldSpec, value: Value) -> float:
    return float(spec.bands.index(value)) if spec.kind == "band" else float(value)


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def parse_rule(text: str) -> Rule:
    """Parse and type-check a rule; raises `RuleError` with the position of the first problem."""
    return _Parser(text).parse()


# ----------------------------------------------------------------------------------------------------------------
# SQL
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledRule:
    """A WHERE condition with placeholders and its parameters in order."""

    sql: str
    params: tuple[Value, ...]


class _Compiler:
    def __init__(self, dialect: Dialect, held_bits: dict[str, int] | None = None) -> None:
        if dialect not in ("duckdb", "postgres"):
            raise ValueError(f"unknown SQL dialect {dialect!r}: duckdb or postgres")
        self.dialect = dialect
        self.held_bits = held_bits or {}
        self.params: list[Value] = []

    def param(self, value: Value) -> str:
        self.params.append(value)
        return "?" if self.dialect == "duckdb" else "%s"

    def column(self, name: str) -> str:
        assert name in FIELDS  # the parser admits only whitelisted names; this guards direct use of the tree
        return f'"{name}"'

    def node(self, node: Node) -> str:
        if isinstance(node, And):
            return "(" + " AND ".join(self.node(i) for i in node.items) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(i) for i in node.items) + ")"
        if isinstance(node, Not):
            return f"(NOT {self.node(node.item)})"
        col = self.column(node.field)
        spec = FIELDS[node.field]
        if isinstance(node, Compare):
            if spec.kind == "band" and node.op in _ORDER_OPS:
                # Band labels do not sort as text ('<1k' < '0'): an ordered comparison is the set of bands it keeps.
                return self.in_list(col, _bands_where(spec, node.op, node.value), False)
            op = "<>" if node.op == "!=" else node.op
            return f"({col} {op} {self.param(node.value)})"
        if isinstance(node, InList):
            return self.in_list(col, node.values, node.negated)
        if isinstance(node, Between):
            if spec.kind == "band":
                lo, hi = spec.bands.index(node.low), spec.bands.index(node.high)
                return self.in_list(col, spec.bands[lo : hi + 1], node.negated)
            neg = "NOT " if node.negated else ""
            return f"({col} {neg}BETWEEN {self.param(node.low)} AND {self.param(node.high)})"
        if isinstance(node, IsNull):
            return f"({col} IS {'NOT ' if node.negated else ''}NULL)"
        if isinstance(node, Contains):
            bit = self.held_bits.get(str(node.value))
            if bit is not None:
                # A warehouse that keeps holdings as a bit mask too tests one bit (an int of ours, never user text).
                test = f'(("{HELD_MASK}" & {1 << bit}) <> 0)'
            elif self.dialect == "duckdb":
                test = f"list_contains({col}, {self.param(node.value)})"
            else:
                test = f"({self.param(node.value)} = ANY({col}))"
            # A user with no holdings has an empty list (never NULL in the tag table), so NOT stays two-valued.
            return f"(NOT {test})" if node.negated else test
        raise TypeError(f"not a rule node: {node!r}")

    def in_list(self, col: str, values: tuple[Value, ...], negated: bool) -> str:
        if not values:  # e.g. aum_band < '0': nothing is below the lowest band
            return "(TRUE)" if negated else "(FALSE)"
        marks = ", ".join(self.param(v) for v in values)
        return f"({col} {'NOT ' if negated else ''}IN ({marks}))"


def _bands_where(spec: FieldSpec, op: str, value: Value) -> tuple[str, ...]:
    k = spec.bands.index(value)
    keep = {"<": lambda i: i < k, "<=": lambda i: i <= k, ">": lambda i: i > k, ">=": lambda i: i >= k}[op]
    return tuple(b for i, b in enumerate(spec.bands) if keep(i))


HELD_MASK = "held_mask"
"""The column a warehouse may add with one bit per product id of `products_held` (see `compile_rule`'s held_bits)."""


def compile_rule(rule: str | Rule, dialect: Dialect = "duckdb", held_bits: dict[str, int] | None = None) -> CompiledRule:
    """The rule as a SQL condition with placeholders (`?` for DuckDB, `%s` for psycopg) and its parameters.
    `held_bits` (product id -> bit of the HELD_MASK column) turns `products_held contains 'id'` into one bit test."""
    parsed = parse_rule(rule) if isinstance(rule, str) else rule
    compiler = _Compiler(dialect, held_bits)
    sql = compiler.node(parsed.node)
    return CompiledRule(sql, tuple(compiler.params))


# ----------------------------------------------------------------------------------------------------------------
# Words
# ----------------------------------------------------------------------------------------------------------------

_OP_WORDS = {"=": "为", "!=": "不为", "<": "小于", "<=": "不超过", ">": "大于", ">=": "不低于"}


def _word_value(spec: FieldSpec, value: Value) -> str:
    if spec.name == "risk_grade":
        return f"C{value}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def _words(node: Node, top: bool = False) -> str:
    if isinstance(node, (And, Or)):
        joiner = "，且" if isinstance(node, And) else "，或"
        text = joiner.join(_words(i) for i in node.items)
        return text if top or isinstance(node, And) else f"（{text}）"
    if isinstance(node, Not):
        return f"并非（{_words(node.item, top=True)}）"
    spec = FIELDS[node.field]
    if isinstance(node, Compare):
        if spec.kind == "bool":
            return spec.label if node.value == (node.op == "=") else f"非{spec.label}"
        return f"{spec.label}{_OP_WORDS[node.op]} {_word_value(spec, node.value)}"
    if isinstance(node, InList):
        values = "、".join(_word_value(spec, v) for v in node.values)
        return f"{spec.label}{'不' if node.negated else ''}在 {values} 之中" if len(node.values) > 1 else \
            f"{spec.label}{'不为' if node.negated else '为'} {values}"  # fmt: skip
    if isinstance(node, Between):
        span = f"{_word_value(spec, node.low)} 至 {_word_value(spec, node.high)}"
        return f"{spec.label}{'不在' if node.negated else '在'} {span} 之间"
    if isinstance(node, IsNull):
        return f"{spec.label}{'已知' if node.negated else '未知'}"
    if isinstance(node, Contains):
        return f"{'未持有' if node.negated else '持有'} {node.value}"
    raise TypeError(f"not a rule node: {node!r}")


def describe_rule(rule: str | Rule) -> str:
    """The rule in Chinese words, e.g. `月活，且资产段在 1k-10k、10k-50k 之中`."""
    parsed = parse_rule(rule) if isinstance(rule, str) else rule
    return _words(parsed.node, top=True)
