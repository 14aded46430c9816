def ds = evaluate(new File(itSources, 'support.groovy'))
def runs = ds.invocations(basedir)
runs.each { ds.require((it =~ /(?m)^Java version: 25\b/).find(), 'Maven did not run on JDK 25') }
ds.assertReadmeBuilds(runs, ds.checks(basedir))
return true
