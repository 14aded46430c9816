def ds = evaluate(new File(itSources, 'support.groovy'))
def runs = ds.invocations(basedir)
ds.require(runs.size() == 2, "expected 2 Maven invocations, found ${runs.size()}")
runs.eachWithIndex { log, i -> ds.require((log =~ /(?m)^Java version: 25\b/).find(), "invocation ${i + 1} did not run on JDK 25") }
ds.assertMigrated(binding.variables, runs[0], runs[1])
return true
