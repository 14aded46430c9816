// The samples, Tether's .mvn/jvm.config and the discovered checks' flags: see ../Downstream.groovy.
evaluate(new File(itSources, 'Downstream.groovy')).prepare(binding.variables)
return true
