// ../migrations's sources and migrate.properties, and Tether's .mvn/jvm.config: see ../support.groovy.
evaluate(new File(itSources, 'support.groovy')).prepareMigrations(binding.variables)
return true
