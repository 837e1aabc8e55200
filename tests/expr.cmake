# Expression compiler/evaluator and function registry tests. Built from the
# expr*.c sources directly (not eddy_engine) so they do not depend on the
# rest of the engine compiling.
file(GLOB EDDY_EXPR_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/engine/expr*.c)
add_executable(test_expr tests/expr/test_expr.c tests/expr/test_agg.c tests/expr/harness.c ${EDDY_EXPR_SRC})
target_link_libraries(test_expr PRIVATE eddy_udf eddy_common)
add_test(NAME expr COMMAND test_expr)
