// Only Tether's .mvn/jvm.config, as the README says: this scenario has its own sources, not the samples.
File mvn = new File(basedir, '.mvn')
mvn.mkdirs()
new File(mvn, 'jvm.config').bytes = new File(jvmConfig as String).bytes
return true
