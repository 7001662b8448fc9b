# The wrapper scripts/redis-tests.sh runs Redis's test harness through, instead of `./runtest`:
#   cd <redis source root> && tclsh8.6 /path/to/scripts/redis-tests-harness.tcl <runtest's arguments>
# It changes no Redis file. It evaluates tests/test_helper.tcl as the main script, so the harness's test
# clients (started with `exec tclsh [info script] ...`) run through this wrapper as well, and it makes one
# change to the harness, in memory, after tests/support/server.tcl is sourced:
#
#   run_external_server_test (what start_server does against an external server) sends
#   `FUNCTION FLUSH` after `FLUSHALL` before every start_server block. A server without the FUNCTION
#   command answers an error there, outside any test, and the harness gives up on the whole file with an
#   [exception]. The wrapper sends it inside `catch`, so a server without FUNCTION still runs the file's
#   tests (the tests that use FUNCTION then fail on their own, and are counted as such).
#
# Against redis-server 7.0.15, which has FUNCTION, the change makes no difference.

set ::redis_tests_wrapper [file normalize [info script]]

rename source ::redis_tests_original_source
proc source {args} {
    set result [uplevel 1 [list ::redis_tests_original_source {*}$args]]
    if {[lindex $args end] eq "tests/support/server.tcl"} {
        redis_tests_patch_server_tcl
    }
    return $result
}

proc redis_tests_patch_server_tcl {} {
    set body [info body run_external_server_test]
    set from "\n    r function flush\n"
    set to "\n    catch {r function flush}\n"
    if {[string first $from $body] < 0} {
        puts stderr "redis-tests-harness.tcl: run_external_server_test has no 'r function flush' line;\
            is this Redis 7.0's test suite?"
        exit 1
    }
    set body [string map [list $from $to] $body]
    set arguments {}
    foreach name [info args run_external_server_test] {
        if {[info default run_external_server_test $name default]} {
            lappend arguments [list $name $default]
        } else {
            lappend arguments $name
        }
    }
    proc run_external_server_test $arguments $body
}

# Evaluate test_helper.tcl as if it were this script: [info script] stays this wrapper's path.
set redis_tests_fd [open tests/test_helper.tcl]
set redis_tests_code [read $redis_tests_fd]
close $redis_tests_fd
unset redis_tests_fd
eval $redis_tests_code
