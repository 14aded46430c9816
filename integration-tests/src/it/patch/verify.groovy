def ds = evaluate(new File(itSources, 'support.groovy'))
def checks = ds.checks(basedir)
def runs = ds.invocations(basedir)
ds.require(runs.size() == 2, "expected 2 Maven invocations, found ${runs.size()}")
def (patching, after) = runs
ds.require(patching.contains('BUILD SUCCESS'), 'patch mode: the build failed')
ds.require(after.contains('BUILD SUCCESS'), 'after patching: the build failed')

def before = ds.findings(patching, checks)
def left = ds.findings(after, checks)
def stillFixable = left.findAll { ds.hasFix(it) }
ds.require(stillFixable.isEmpty(), "after patching, findings with a fix are left: ${stillFixable.collect { ds.describe(it) }}")
checks.each { check ->
  def ofCheck = before.findAll { it.check == check && it.file == "${check}Bad" }
  def fixable = ofCheck.findAll { ds.hasFix(it) }
  def remaining = left.findAll { it.check == check && it.file == "${check}Bad" }
  def original = new File(samplesDir, "${check}Bad.java").getText('UTF-8')
  def patched = new File(basedir, "${ds.PACKAGE_DIR}/${check}Bad.java").getText('UTF-8')
  if (fixable.isEmpty()) {
    println "OK ${check}: no fix offered on its sample"
    return
  }
  ds.require(patched != original, "${check}Bad.java has ${fixable.size()} finding(s) with a fix but was not changed")
  ds.require(remaining.size() == ofCheck.size() - fixable.size(),
      "${check}: ${ofCheck.size()} finding(s), ${fixable.size()} with a fix, but ${remaining.size()} left after patching")
  println "OK ${check}: ${fixable.size()} fix(es) applied, ${remaining.size()} finding(s) without a fix left"
}
return true
