# Turns the example in a public header's top comment into a test.
#
# The example is the block of comment lines after "// Example:" that are
# indented by three spaces ("//   code"); it ends at the first other line.
# Its #include lines go to the top of the file; the rest becomes the body of a GoogleTest test that includes the header, so
# every example is compiled and run (under the sanitizers too) and cannot
# rot. A public header without an example is a compile error naming it.
#
#   awk -v header=net/ipv4.h -v name=net_ipv4 -f extract.awk net/ipv4.h
BEGIN { in_example = 0; found = 0; n = 0; m = 0; nlong = 0 }
/^#/ { exit }  # the top comment ends at the first preprocessor line
/^\/\/ Example:/ { in_example = 1; found = 1; next }
in_example && /^\/\/   #include / { inc[m++] = substr($0, 6); next }
in_example && /^\/\/   / {
  # clang-format reflows comment lines past 80 columns, which turns code
  # into nonsense: refuse them here instead.
  if (length($0) > 80) long[nlong++] = substr($0, 6)
  code[n++] = substr($0, 6)
  next
}
{ in_example = 0 }
END {
  print "// Generated from " header " by tests/header_examples/extract.awk."
  print "#include \"" header "\""
  for (i = 0; i < m; ++i) print inc[i]
  print ""
  print "#include <cstdint>"
  print "#include <iostream>"
  print "#include <string>"
  print "#include <vector>"
  print ""
  print "#include \"gtest/gtest.h\""
  print ""
  if (!found || n == 0) {
    print "#error \"" header " has no '// Example:' block in its top comment\""
  }
  for (i = 0; i < nlong; ++i) {
    gsub(/"/, "'", long[i])
    print "#error \"" header ": example line over 80 columns: " long[i] "\""
  }
  print "namespace nexthop {"
  print "namespace {"
  print ""
  print "TEST(HeaderExample, " name ") {"
  print "#line 1 \"" header " (example)\""
  for (i = 0; i < n; ++i) print "  " code[i]
  print "}"
  print ""
  print "}  // namespace"
  print "}  // namespace nexthop"
}
