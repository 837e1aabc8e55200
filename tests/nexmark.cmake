# Nexmark generator and benchmark tests. The generator test compiles the
# generator source directly (it depends only on common/), so it runs even
# while the rest of the connectors layer is being written.
add_executable(test_nexmark_gen tests/nexmark/test_nexmark_gen.c connectors/nexmark_gen.c)
target_link_libraries(test_nexmark_gen PRIVATE eddy_common PkgConfig::JANSSON)
add_test(NAME nexmark_gen COMMAND test_nexmark_gen)
