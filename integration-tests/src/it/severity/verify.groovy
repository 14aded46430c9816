def ds = evaluate(new File(itSources, 'support.groovy'))
def checks = ds.checks(basedir)
def runs = ds.invocations(basedir)
ds.require(runs.size() == 3, "expected 3 Maven invocations, found ${runs.size()}")
def check = 'SwallowedInterrupt'

// 1: -Xep:SwallowedInterrupt:ERROR
def error = runs[0]
def errors = ds.findings(error, checks).findAll {
  it.level == 'ERROR' && it.check == check && it.file == "${check}Bad"
}
ds.require(error.contains('BUILD FAILURE') && error.contains('COMPILATION ERROR'),
    '-Xep:SwallowedInterrupt:ERROR: the build did not fail to compile')
ds.require(!errors.isEmpty(), "-Xep:${check}:ERROR: no '[ERROR] …/${check}Bad.java:[line,col] [${check}]'")
println "OK ERROR fails the build: ${errors.collect { ds.describe(it) }}"

// 2: -Werror
def werror = runs[1]
def warnings = ds.findings(werror, checks)
ds.require(werror.contains('BUILD FAILURE') && werror.contains('warnings found and -Werror specified'),
    '-Werror: the build did not fail on warnings')
ds.require(warnings.any { it.level == 'WARNING' && it.check == check && it.file == "${check}Bad" },
    "-Werror: no '[WARNING] …/${check}Bad.java:[line,col] [${check}]'")
ds.require(warnings.every { it.check == check }, "-Werror: other warnings: ${warnings.collect { ds.describe(it) }}")
println "OK -Werror fails the build on: ${warnings.collect { ds.describe(it) }}"

// 3: -Xep:<Name>:OFF for every check. Error Prone rejects an unknown -Xep name, so the build
// succeeding also shows that the checks were loaded.
def off = runs[2]
ds.require(off.contains('BUILD SUCCESS'), '-Xep:<Name>:OFF: the build failed')
def left = ds.findings(off, checks)
ds.require(left.isEmpty(), "-Xep:<Name>:OFF: still reported ${left.collect { ds.describe(it) }}")
println "OK -Xep:<Name>:OFF silences ${checks}"
return true
