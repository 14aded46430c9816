import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Tether's cost in a warm build JVM, measured the way Maven runs javac: in ONE JVM, the in-process
 * {@code JavaCompiler} API compiles one corpus library again and again, with Error Prone and its
 * default checks (the options of {@code CheckTimings}), round by round on each "side" in turn
 * (A B A B …, or A B C A B C … with three sides): the first side without Tether, the others with a
 * Tether checker jar on the processor path. Per compilation it reads process CPU time (every
 * thread: javac's, the GC's and the JIT's), wall time, the bytes the compiling thread allocated,
 * GC count and time, JIT time, and Error Prone's stopwatches of Tether's checks; then, per side,
 * the medians, and for each side against the first the median and min–max of the per-round ratios.
 *
 * <p>Like Maven's in-process compiler, javac builds a new class loader from {@code -processorpath}
 * for every compilation, so Error Prone's and Tether's classes are loaded (and JIT-compiled) anew
 * each time, while javac's own classes stay warm.
 *
 * <pre>java [exports of .mvn/jvm.config] --add-opens=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
 *     corpus/WarmBuild.java --ep PROCESSORPATH --side NAME=SPEC … [--warmup 2] [--rounds 6] LIBDIR…
 * java corpus/WarmBuild.java --jfr-summary RECORDING.jfr [TOP]</pre>
 *
 * <p>A side's SPEC: {@code none} (Error Prone alone), {@code JAR} (plus that Tether checker jar,
 * all its checks on), {@code JAR@A+B} (only Tether's checks A and B on, the others {@code :OFF}),
 * {@code JAR@off} (the jar on the path with every Tether check {@code :OFF}).
 */
public final class WarmBuild {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

  /** One way to compile: a processor path and Tether's checks that are switched off. */
  record Side(String name, String processorPath, List<String> off, Set<String> tether) {}

  /** What one compilation cost. */
  record Sample(
      double cpu, double wall, double allocGb, long gcCount, double gcTime, double jitTime,
      double tetherWatch, double allWatch, double load, Map<String, Double> perCheck) {}

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    if (args.length > 0 && args[0].equals("--jfr-summary")) {
      jfrSummary(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 25);
      return;
    }
    String ep = null;
    int warmup = 2;
    int rounds = 6;
    List<String> sideSpecs = new ArrayList<>();
    List<Path> libs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--ep" -> ep = args[++i];
        case "--side" -> sideSpecs.add(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> libs.add(Path.of(args[i]));
      }
    }
    if (ep == null || sideSpecs.isEmpty() || libs.isEmpty()) {
      throw new IllegalArgumentException(
          "usage: --ep PROCESSORPATH --side NAME=none|JAR[@CHECK+…|@off] … LIBDIR…");
    }
    List<Side> sides = new ArrayList<>();
    for (String spec : sideSpecs) {
      sides.add(side(spec, ep));
    }
    System.out.printf(
        "JVM %s %s, %d CPUs, max heap %d MB, GC %s%n",
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        OS.getAvailableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(", ")));
    for (Side side : sides) {
      System.out.printf(
          "side %-8s %s%n",
          side.name(),
          side.tether().isEmpty()
              ? "Error Prone alone"
              : "+ Tether jar, " + (side.tether().size() - side.off().size()) + " of "
                  + side.tether().size() + " checks on"
                  + (side.off().isEmpty() ? "" : " (off: " + String.join(",", side.off()) + ")"));
    }
    for (Path lib : libs) {
      run(lib, sides, warmup, rounds);
    }
  }

  private static Side side(String spec, String ep) throws IOException {
    int eq = spec.indexOf('=');
    String name = spec.substring(0, eq);
    String value = spec.substring(eq + 1);
    if (value.equals("none")) {
      return new Side(name, ep, List.of(), Set.of());
    }
    int at = value.indexOf('@');
    String jar = at < 0 ? value : value.substring(0, at);
    Set<String> checks = checksIn(jar);
    List<String> off = new ArrayList<>();
    if (at >= 0) {
      String which = value.substring(at + 1);
      Set<String> on = which.equals("off") ? Set.of() : Set.of(which.split("\\+"));
      for (String check : checks) {
        if (!on.contains(check)) {
          off.add(check);
        }
      }
      for (String check : on) {
        if (!checks.contains(check)) {
          throw new IllegalArgumentException("no check " + check + " in " + jar);
        }
      }
    }
    return new Side(name, ep + ":" + jar, off, checks);
  }

  /** Tether's checks in {@code jar}: its BugChecker services in package dev.tether.checker. */
  private static Set<String> checksIn(String jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar)) {
      String services =
          new String(
              zip.getInputStream(
                      zip.getEntry("META-INF/services/com.google.errorprone.bugpatterns.BugChecker"))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
      Set<String> checks = new TreeSet<>();
      for (String line : services.split("\n")) {
        String type = line.trim();
        if (type.startsWith("dev.tether.checker.") && type.indexOf('.', 19) < 0) {
          checks.add(type.substring(19));
        }
      }
      return checks;
    }
  }

  private static void run(Path dir, List<Side> sides, int warmup, int rounds) throws Exception {
    String classpath = Files.readString(dir.resolve("classpath.txt")).trim();
    List<String> sources =
        Files.readAllLines(dir.resolve("sources.args")).stream()
            .filter(line -> !line.isBlank())
            .map(line -> line.replaceAll("^\"|\"$", "").replace("\\\\", "\\"))
            .map(line -> dir.resolve("src").resolve(line).toString())
            .collect(Collectors.toList());
    Path out = Files.createTempDirectory("warm-build");
    System.out.printf(
        "%n%s: %d files; %d warm-up + %d measured rounds of %s; load %s%n",
        dir.getFileName(), sources.size(), warmup, rounds,
        sides.stream().map(Side::name).collect(Collectors.joining(" ")), load());
    System.out.printf(
        "%-5s %-8s %8s %8s %9s %5s %8s %8s %9s %6s%n",
        "round", "side", "cpu s", "wall s", "alloc GB", "GCs", "GC s", "JIT s", "Tether s", "load");
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    for (Side side : sides) {
      samples.put(side.name(), new ArrayList<>());
    }
    for (int round = 1; round <= warmup + rounds; round++) {
      for (Side side : sides) {
        Sample s = compile(side, classpath, sources, out);
        boolean measured = round > warmup;
        System.out.printf(
            "%-5s %-8s %8.2f %8.2f %9.2f %5d %8.2f %8.2f %9.3f %6.1f%n",
            measured ? String.valueOf(round - warmup) : "w" + round, side.name(), s.cpu(),
            s.wall(), s.allocGb(), s.gcCount(), s.gcTime(), s.jitTime(), s.tetherWatch(),
            s.load());
        if (measured) {
          samples.get(side.name()).add(s);
        }
      }
    }
    System.out.printf("%n%s, medians of %d rounds:%n", dir.getFileName(), rounds);
    System.out.printf(
        "%-8s %8s %8s %9s %6s %8s %8s %12s %12s%n",
        "side", "cpu s", "wall s", "alloc GB", "GCs", "GC s", "JIT s", "Tether's EP", "all EP");
    for (Side side : sides) {
      List<Sample> list = samples.get(side.name());
      System.out.printf(
          "%-8s %8.2f %8.2f %9.2f %6.0f %8.2f %8.2f %11.3fs %11.1fs%n",
          side.name(), median(list, Sample::cpu), median(list, Sample::wall),
          median(list, Sample::allocGb), median(list, s -> s.gcCount()),
          median(list, Sample::gcTime), median(list, Sample::jitTime),
          median(list, Sample::tetherWatch), median(list, Sample::allWatch));
    }
    List<Sample> base = samples.get(sides.get(0).name());
    for (Side side : sides.subList(1, sides.size())) {
      List<Sample> list = samples.get(side.name());
      System.out.printf(
          "%n%s / %s, per-round ratios, median [min–max]:%n", side.name(), sides.get(0).name());
      ratio("process CPU", base, list, Sample::cpu);
      ratio("wall", base, list, Sample::wall);
      ratio("allocated (javac thread)", base, list, Sample::allocGb);
      ratio("GC time", base, list, Sample::gcTime);
      ratio("JIT time", base, list, Sample::jitTime);
      double watch = median(list, Sample::tetherWatch);
      System.out.printf(
          "  %-26s %.3f s = %.2f %% of the median wall time (the stopwatch measure)%n",
          "Tether's EP stopwatches", watch, 100 * watch / median(list, Sample::wall));
      Map<String, Double> perCheck = new TreeMap<>();
      for (String check : list.get(0).perCheck().keySet()) {
        perCheck.put(check, median(list, s -> s.perCheck().getOrDefault(check, 0.0)));
      }
      System.out.printf("  per check (stopwatch, median): %s%n",
          perCheck.entrySet().stream()
              .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
              .map(e -> String.format("%s %.3f", e.getKey(), e.getValue()))
              .collect(Collectors.joining(", ")));
    }
  }

  private static void ratio(
      String what, List<Sample> base, List<Sample> other, ToDoubleFunction<Sample> metric) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(base.size(), other.size()); i++) {
      double b = metric.applyAsDouble(base.get(i));
      if (b > 0) {
        ratios.add(metric.applyAsDouble(other.get(i)) / b);
      }
    }
    if (ratios.isEmpty()) {
      System.out.printf("  %-26s n/a%n", what);
      return;
    }
    Collections.sort(ratios);
    System.out.printf(
        "  %-26s %.3f [%.3f–%.3f]  (%s)%n",
        what, medianOf(ratios), ratios.get(0), ratios.get(ratios.size() - 1),
        ratios.stream().map(r -> String.format("%.3f", r)).collect(Collectors.joining(" ")));
  }

  private static double median(List<Sample> list, ToDoubleFunction<Sample> metric) {
    List<Double> values = new ArrayList<>();
    for (Sample s : list) {
      values.add(metric.applyAsDouble(s));
    }
    Collections.sort(values);
    return medianOf(values);
  }

  private static double medianOf(List<Double> sorted) {
    int n = sorted.size();
    return n == 0 ? Double.NaN
        : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String load() {
    return String.format("%.1f", OS.getSystemLoadAverage());
  }

  /** One compilation, as CheckTimings does it, between two full GCs that are not measured. */
  private static Sample compile(Side side, String classpath, List<String> sources, Path out)
      throws Exception {
    StringBuilder plugin =
        new StringBuilder("-Xplugin:ErrorProne -XepAllErrorsAsWarnings -XepDisableWarningsInGeneratedCode");
    for (String check : side.off()) {
      plugin.append(" -Xep:").append(check).append(":OFF");
    }
    List<String> options =
        new ArrayList<>(
            Arrays.asList(
                "-XDcompilePolicy=simple", "--should-stop=ifError=FLOW", "-proc:none",
                "-implicit:none", "-nowarn", "-Xmaxwarns", "1", "-encoding", "UTF-8",
                "-sourcepath", "", "-d", out.toString(), "-classpath", classpath,
                "-processorpath", side.processorPath(), plugin.toString()));
    System.gc(); // the previous compilation's garbage is not this one's cost
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    long thread = Thread.currentThread().getId();
    long cpu0 = OS.getProcessCpuTime();
    long alloc0 = THREADS.getThreadAllocatedBytes(thread);
    long[] gc0 = gc();
    long jit0 = JIT.getTotalCompilationTime();
    long wall0 = System.nanoTime();
    Object context;
    boolean ok;
    List<String> errors = new ArrayList<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromStrings(sources);
      JavaCompiler.CompilationTask task =
          javac.getTask(
              null, files,
              d -> {
                if (d.getKind() == javax.tools.Diagnostic.Kind.ERROR && errors.size() < 5) {
                  errors.add(d.toString());
                }
              },
              options, null, units);
      context = task.getClass().getMethod("getContext").invoke(task);
      ok = task.call();
    }
    long wall1 = System.nanoTime();
    long jit1 = JIT.getTotalCompilationTime();
    long[] gc1 = gc();
    long alloc1 = THREADS.getThreadAllocatedBytes(thread);
    long cpu1 = OS.getProcessCpuTime();
    if (!ok) {
      throw new IllegalStateException("compilation failed: " + errors);
    }
    Map<String, Duration> timings = errorProneTimings(context);
    Map<String, Double> perCheck = new TreeMap<>();
    double tether = 0;
    double all = 0;
    for (Map.Entry<String, Duration> e : timings.entrySet()) {
      double seconds = e.getValue().toNanos() / 1e9;
      all += seconds;
      if (side.tether().contains(e.getKey())) {
        perCheck.put(e.getKey(), seconds);
        tether += seconds;
      }
    }
    return new Sample(
        (cpu1 - cpu0) / 1e9, (wall1 - wall0) / 1e9, (alloc1 - alloc0) / 1e9, gc1[0] - gc0[0],
        (gc1[1] - gc0[1]) / 1e3, (jit1 - jit0) / 1e3, tether, all, OS.getSystemLoadAverage(),
        perCheck);
  }

  private static long[] gc() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, bean.getCollectionCount());
      millis += Math.max(0, bean.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** Error Prone's {@code ErrorProneTimings} in javac's context (from the plugin's class loader). */
  @SuppressWarnings("unchecked")
  private static Map<String, Duration> errorProneTimings(Object context) throws Exception {
    Field table = context.getClass().getDeclaredField("ht");
    table.setAccessible(true);
    for (Object value : ((Map<Object, Object>) table.get(context)).values()) {
      if (value != null
          && value.getClass().getName().equals("com.google.errorprone.ErrorProneTimings")) {
        Method timings = value.getClass().getMethod("timings");
        return (Map<String, Duration>) timings.invoke(value);
      }
    }
    throw new IllegalStateException("Error Prone did not run: no ErrorProneTimings in the context");
  }

  /**
   * Summarises a JFR recording of with-Tether compilations: the execution samples and the sampled
   * allocation weight whose stack holds a Tether frame, per check (the outermost {@code
   * dev.tether.checker} class on the stack, the one Error Prone called) and per Tether method (the
   * innermost Tether frame, where the time or the allocation happens).
   */
  private static void jfrSummary(Path recording, int top) throws IOException {
    long samples = 0;
    long tetherSamples = 0;
    double allocWeight = 0;
    double tetherAlloc = 0;
    Map<String, Long> samplesByCheck = new TreeMap<>();
    Map<String, Long> samplesByMethod = new TreeMap<>();
    Map<String, Long> samplesByFrame = new TreeMap<>();
    Map<String, Double> allocByCheck = new TreeMap<>();
    Map<String, Double> allocByMethod = new TreeMap<>();
    Map<String, Double> allocByType = new TreeMap<>();
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        String type = event.getEventType().getName();
        boolean execution = type.equals("jdk.ExecutionSample");
        boolean allocation = type.equals("jdk.ObjectAllocationSample");
        if ((!execution && !allocation) || event.getStackTrace() == null) {
          continue;
        }
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        double weight = allocation ? event.getLong("weight") : 1;
        if (execution) {
          samples++;
        } else {
          allocWeight += weight;
        }
        String innermost = null;
        String check = null;
        for (RecordedFrame frame : frames) {
          if (!frame.isJavaFrame()) {
            continue;
          }
          String owner = frame.getMethod().getType().getName();
          if (owner.startsWith("dev.tether.")) {
            String method = simple(owner) + "." + frame.getMethod().getName();
            if (innermost == null) {
              innermost = method;
            }
            check = topLevel(owner);
          }
        }
        if (check == null) {
          continue;
        }
        if (execution) {
          tetherSamples++;
          samplesByCheck.merge(check, 1L, Long::sum);
          samplesByMethod.merge(innermost, 1L, Long::sum);
          RecordedFrame first = frames.get(0);
          samplesByFrame.merge(
              simple(first.getMethod().getType().getName()) + "." + first.getMethod().getName(),
              1L, Long::sum);
        } else {
          tetherAlloc += weight;
          allocByCheck.merge(check, weight, Double::sum);
          allocByMethod.merge(innermost, weight, Double::sum);
          allocByType.merge(event.getClass("objectClass").getName(), weight, Double::sum);
        }
      }
    }
    System.out.printf(
        "execution samples: %d, with a Tether frame: %d (%.2f %%)%n",
        samples, tetherSamples, 100.0 * tetherSamples / Math.max(1, samples));
    System.out.printf(
        "sampled allocation: %.2f GB, with a Tether frame: %.3f GB (%.2f %%)%n",
        allocWeight / 1e9, tetherAlloc / 1e9, 100 * tetherAlloc / Math.max(1, allocWeight));
    printTop("execution samples by check", samplesByCheck, top, samples, "");
    printTop("execution samples by innermost Tether method", samplesByMethod, top, samples, "");
    printTop("execution samples with a Tether frame, by top frame", samplesByFrame, top, samples, "");
    printTop("allocation by check (MB)", allocByCheck, top, allocWeight, "MB");
    printTop("allocation by innermost Tether method (MB)", allocByMethod, top, allocWeight, "MB");
    printTop("allocation with a Tether frame, by class (MB)", allocByType, top, allocWeight, "MB");
  }

  private static <N extends Number> void printTop(
      String title, Map<String, N> counts, int top, double total, String unit) {
    System.out.printf("%n%s:%n", title);
    counts.entrySet().stream()
        .sorted(Comparator.comparingDouble((Map.Entry<String, N> e) -> e.getValue().doubleValue())
            .reversed())
        .limit(top)
        .forEach(
            e -> {
              double v = e.getValue().doubleValue();
              System.out.printf(
                  "  %10s  %6.2f %%  %s%n",
                  unit.equals("MB") ? String.format("%.1f", v / 1e6) : String.format("%.0f", v),
                  100 * v / Math.max(1, total), e.getKey());
            });
  }

  private static String simple(String type) {
    return type.substring(type.lastIndexOf('.') + 1);
  }

  private static String topLevel(String type) {
    String simple = simple(type);
    int dollar = simple.indexOf('$');
    return dollar < 0 ? simple : simple.substring(0, dollar);
  }
}
