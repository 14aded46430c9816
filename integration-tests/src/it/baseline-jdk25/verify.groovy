def ds = evaluate(new File(itSources, 'support.groovy'))
ds.invocations(basedir).each {
  ds.require((it =~ /(?m)^Java version: 25\b/).find(), 'Maven did not run on JDK 25')
}
ds.verifyBaseline(binding.variables)
return true
