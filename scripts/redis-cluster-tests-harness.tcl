# The wrapper scripts/redis-cluster-tests.sh runs Redis's cluster test suite through, instead of
# `./runtest-cluster`:
#   cd <run tree> && tclsh8.6 /path/to/scripts/redis-cluster-tests-harness.tcl <runtest-cluster's arguments>
# It changes no Redis file. It evaluates tests/cluster/run.tcl as the main script and makes two changes to
# the harness, in memory, after tests/instances.tcl is sourced, neither of which changes what a test checks:
#
#   1. server_is_up, which spawn_instance and restart_instance call after starting an instance, waits up to
#      REDIS_CLUSTER_TESTS_START_WAIT seconds (default 60) for the instance to answer PING, instead of 100
#      tries 50 ms apart (about 5 s), and stops waiting as soon as the process it started has exited. A JVM
#      takes 2-4 s to answer its first PING on an idle machine and more when twenty of them share two cores;
#      after 5 s the harness would start a second instance on another port and leave the first one running.
#
#   2. Each test file (tests/cluster/tests/NN-*.tcl) is sourced between two lines the runner reads:
#        ### unit 00-base.tcl begin
#        ### unit 00-base.tcl end finished|stopped-at-failure|error <seconds>
#      "stopped-at-failure": a test's assertion failed, and the harness jumps to the next file (its rule);
#      "error": a Tcl error (an unexpected reply, say) ended the file.

set ::redis_cluster_tests_wrapper [file normalize [info script]]
set ::redis_cluster_tests_last_pid ""
set ::redis_cluster_tests_start_wait_ms [expr {1000 * ([info exists ::env(REDIS_CLUSTER_TESTS_START_WAIT)] ?
    $::env(REDIS_CLUSTER_TESTS_START_WAIT) : 60)}]

rename source ::redis_cluster_tests_original_source
proc source {args} {
    set path [lindex $args end]
    if {[regexp {^\.\./tests/([^/]+\.tcl)$} $path -> unit]} {
        puts "### unit $unit begin"
        flush stdout
        set started [clock milliseconds]
        set code [catch {uplevel 1 [list ::redis_cluster_tests_original_source {*}$args]} result options]
        set took [format %.1f [expr {([clock milliseconds] - $started) / 1000.0}]]
        set how [dict get {0 finished 1 error 2 finished 3 stopped-at-failure 4 stopped-at-failure} $code]
        # After an error the failing test's line has no newline yet: the marker goes on a line of its own.
        puts "[expr {$code == 1 ? "\n" : ""}]### unit $unit end $how $took"
        flush stdout
        dict incr options -level
        return -options $options $result
    }
    # A test's failed assertion returns "continue" through the files sourced: passed on as it came.
    set code [catch {uplevel 1 [list ::redis_cluster_tests_original_source {*}$args]} result options]
    if {$code == 0 && $path eq "../instances.tcl"} {
        redis_cluster_tests_patch_instances_tcl
    }
    dict incr options -level
    return -options $options $result
}

# Whether the process is there and not a zombie.
proc redis_cluster_tests_running {pid} {
    if {[catch {set fd [open /proc/$pid/stat]}]} {return 0}
    set stat [read $fd]
    close $fd
    # pid (comm) state ...: comm may hold spaces and parentheses; the state follows the last ")".
    set state [string index [string trimleft [string range $stat [expr {[string last ")" $stat] + 1}] end]] 0]
    return [expr {$state ne "Z" && $state ne "X"}]
}

proc redis_cluster_tests_patch_instances_tcl {} {
    if {[info procs exec_instance] eq "" || [info procs server_is_up] eq ""} {
        puts stderr "redis-cluster-tests-harness.tcl: no exec_instance or server_is_up; is this Redis 7.0's test suite?"
        exit 1
    }
    rename exec_instance ::redis_cluster_tests_original_exec_instance
    proc exec_instance {type dirname cfgfile} {
        set pid [::redis_cluster_tests_original_exec_instance $type $dirname $cfgfile]
        set ::redis_cluster_tests_last_pid $pid
        return $pid
    }
    proc server_is_up {host port retrynum} {
        after 10
        set deadline [expr {[clock milliseconds] + $::redis_cluster_tests_start_wait_ms}]
        while {[clock milliseconds] < $deadline} {
            if {[catch {ping_server $host $port} ping]} {set ping 0}
            if {$ping} {return 1}
            set pid $::redis_cluster_tests_last_pid
            if {$pid ne "" && ![redis_cluster_tests_running $pid]} {return 0}
            after 50
        }
        return 0
    }
}

# Evaluate run.tcl as if it were this script.
set redis_cluster_tests_fd [open tests/cluster/run.tcl]
set redis_cluster_tests_code [read $redis_cluster_tests_fd]
close $redis_cluster_tests_fd
unset redis_cluster_tests_fd
eval $redis_cluster_tests_code
