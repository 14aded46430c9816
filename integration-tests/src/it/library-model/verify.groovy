def ds = evaluate(new File(itSources, 'support.groovy'))
def runs = ds.invocations(basedir)
ds.require(runs.size() == 3, "expected 3 Maven invocations, found ${runs.size()}")
def check = ['UnsynchronizedSharedMutation']

// 1: without the flag the wrapper is unknown: no finding, the build succeeds.
def plain = runs[0]
ds.require(plain.contains('BUILD SUCCESS'), 'without the flag: the build failed')
def before = ds.findings(plain, check)
ds.require(before.isEmpty(), "without the flag: reported ${before.collect { ds.describe(it) }}")
println 'OK without -XepOpt:Tether:ExecutorMethods the wrapper is not judged'

// 2: with the flag, count++ in the task handed to Async.run is reported in Counter.java.
def taught = runs[1]
ds.require(taught.contains('BUILD SUCCESS'), 'with the flag: the build failed')
def after = ds.findings(taught, check)
ds.require(after.any { it.level == 'WARNING' && it.file == 'Counter' && it.line == 12 },
    "with the flag: no '[WARNING] …/Counter.java:[12,…] [UnsynchronizedSharedMutation]' in ${after.collect { ds.describe(it) }}")
println "OK -XepOpt:Tether:ExecutorMethods=com.acme.Async#run: ${after.collect { ds.describe(it) }}"

// 3: a malformed value is a clear error.
def malformed = runs[2]
ds.require(malformed.contains('BUILD FAILURE'), 'malformed value: the build did not fail')
ds.require(malformed.contains("-XepOpt:Tether:ExecutorMethods: 'com.acme.Async.run' is not a method of the form"),
    'malformed value: no message naming the flag and the value')
ds.require(malformed.contains('fully.qualified.Type#method'),
    'malformed value: the message does not show the expected form')
ds.require(!malformed.contains('An unhandled exception was thrown by the Error Prone static analysis plugin'),
    'malformed value: Error Prone crashed instead of reporting one clear error')
println 'OK a malformed value stops the build with one error naming the flag, the value and the expected form'
return true
