"""nbgrader settings of pointwise's assignments (notebooks/assignments).

`make classroom` makes the course folder out/classroom (OUT=... moves it): its
source/ holds the assignments, and its own nbgrader_config.py loads this
file, so nbgrader commands run from that folder use these settings:

    cd out/classroom && nbgrader autograde fig2-chebyshev-interpolation

The notebooks run on the project's GoNB kernel, "gonb-pointwise" (make kernel
installs it in .cache/jupyter, make kernel-user for your own Jupyter). The
solution and hidden-test markers and the stub are those of cmd/assign, which
writes the same student version for `make assignments`.
"""
c = get_config()  # noqa: F821 (defined by traitlets when it loads this file)

# A solution region of a Go cell becomes this stub: it compiles inside a
# function with results, and lib/classroom's checkers report it as "not
# implemented yet". nbgrader has no stub for Go of its own and stops at once
# without one ("language 'go' has not been specified in ClearSolutions.code_stub").
c.ClearSolutions.code_stub = {"go": '// YOUR CODE HERE\npanic("not implemented")'}

# Region markers: Go comments, each on a line of its own (cmd/assign -annotate
# checks that). nbgrader takes any line that holds a marker for the marker.
c.ClearSolutions.begin_solution_delimeter = "// BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "// END SOLUTION"
c.ClearHiddenTests.begin_test_delimeter = "// BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "// END HIDDEN TESTS"

# The project's GoNB kernel, whatever kernel a submitted notebook names.
c.Execute.kernel_name = "gonb-pointwise"
# GoNB compiles and links every cell into a new program: with a cold Go build
# cache one cell takes 10-30 s on two cores, and more on a loaded machine.
# nbgrader's default of 30 s per cell would fail right answers; a student's
# endless loop is stopped after this many seconds and scores 0.
c.Execute.timeout = 300

# A check passes or fails by its error output: classroom.Report prints PASS or
# FAIL on stdout, and exits 1 after FAIL, which GoNB turns into an error. But
# nbgrader gives 0 points to a graded cell with any output on stderr, and
# stderr says nothing about the grade here: GoNB writes "exit status 1" there
# beside the error, and a student's log.Printf writes there. So stderr is
# dropped from the autograded notebooks; errors still give 0.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"[\s\S]"

# nbgrader zip_collect: the files a learning management system gives the
# teacher, put in downloaded/<assignment>/archive/, are named
# <student>_<notebook>.ipynb (make classroom writes them so). Adapt this to
# your system's names; student ids must not hold "_" or "/".
c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[^/_]+)_(?P<file_id>[^/]+\.ipynb)$"
