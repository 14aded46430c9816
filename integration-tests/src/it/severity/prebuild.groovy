// The samples, Tether's .mvn/jvm.config and the discovered checks' flags: see ../support.groovy.
evaluate(new File(itSources, 'support.groovy')).prepare(binding.variables)
return true
