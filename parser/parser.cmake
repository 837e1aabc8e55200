# Generated sources for the parser: re2c lexer and lemon grammar, written to
# ${CMAKE_BINARY_DIR}/parser. lemon exits non-zero on any grammar conflict,
# which fails the build (the conflict report is left in grammar.out there).
set(EDDY_PARSER_GEN_DIR ${CMAKE_BINARY_DIR}/parser)
file(MAKE_DIRECTORY ${EDDY_PARSER_GEN_DIR})

add_custom_command(
  OUTPUT ${EDDY_PARSER_GEN_DIR}/grammar.c ${EDDY_PARSER_GEN_DIR}/grammar.h
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_LIST_DIR}/grammar.y ${EDDY_PARSER_GEN_DIR}/grammar.y
  COMMAND ${LEMON} -T/usr/share/lemon/lempar.c -d${EDDY_PARSER_GEN_DIR} ${EDDY_PARSER_GEN_DIR}/grammar.y
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/grammar.y
  COMMENT "lemon: parser/grammar.y (fails on conflicts)"
  VERBATIM)

add_custom_command(
  OUTPUT ${EDDY_PARSER_GEN_DIR}/lexer.c
  COMMAND ${RE2C} -W -Werror --no-generation-date -o ${EDDY_PARSER_GEN_DIR}/lexer.c ${CMAKE_CURRENT_LIST_DIR}/lexer.re
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/lexer.re ${EDDY_PARSER_GEN_DIR}/grammar.h
  COMMENT "re2c: parser/lexer.re"
  VERBATIM)

set(EDDY_PARSER_GENERATED
  ${EDDY_PARSER_GEN_DIR}/grammar.c
  ${EDDY_PARSER_GEN_DIR}/lexer.c
  ${EDDY_PARSER_GEN_DIR}/grammar.h)

# lemon's template has unused locals/functions depending on the grammar;
# silence those for the generated parser only.
set_source_files_properties(${EDDY_PARSER_GEN_DIR}/grammar.c PROPERTIES
  COMPILE_OPTIONS "-Wno-unused-variable;-Wno-unused-function;-Wno-unused-but-set-variable;-Wno-unused-parameter"
  INCLUDE_DIRECTORIES ${CMAKE_CURRENT_LIST_DIR})
set_source_files_properties(${EDDY_PARSER_GEN_DIR}/lexer.c PROPERTIES
  INCLUDE_DIRECTORIES ${CMAKE_CURRENT_LIST_DIR})
