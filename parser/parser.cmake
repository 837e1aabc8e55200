# Generated sources for the parser: re2c lexer and lemon grammar.
# (Filled in by the parser work; empty until then.)
set(EDDY_PARSER_GENERATED "")
