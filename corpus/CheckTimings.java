import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles one corpus library with Error Prone (all its default checks) and Tether in a single
 * javac run, then reads Error Prone's own per-check stopwatches ({@code ErrorProneTimings}) and
 * prints what share of the compilation Tether's checks took. Measuring both sides in the same run
 * makes the ratio steadier than comparing two runs on a busy machine (under heavy load, run it with
 * {@code nice -n -20}: the stopwatches count time the thread waits for a CPU too).
 *
 * <p>Usage (from the repository root, after {@code corpus/run} prepared the library):
 *
 * <pre>java --add-opens=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED [exports…]
 *     corpus/CheckTimings.java WORKDIR/<artifactId> PROCESSORPATH CHECK[,CHECK…]</pre>
 */
public final class CheckTimings {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String processorPath = args[1];
    Set<String> tether = Set.of(args[2].split(","));
    String classpath = Files.readString(dir.resolve("classpath.txt")).trim();
    List<String> sources =
        Files.readAllLines(dir.resolve("sources.args")).stream()
            .map(line -> line.replaceAll("^\"|\"$", "").replace("\\\\", "\\"))
            .map(line -> dir.resolve("src").resolve(line).toString())
            .collect(Collectors.toList());
    Path out = Files.createTempDirectory("check-timings");
    List<String> options =
        new ArrayList<>(
            Arrays.asList(
                "-XDcompilePolicy=simple",
                "--should-stop=ifError=FLOW",
                "-proc:none",
                "-implicit:none",
                "-nowarn",
                "-Xmaxwarns",
                "1",
                "-encoding",
                "UTF-8",
                "-sourcepath",
                "",
                "-d",
                out.toString(),
                "-classpath",
                classpath,
                "-processorpath",
                processorPath,
                "-Xplugin:ErrorProne -XepAllErrorsAsWarnings -XepDisableWarningsInGeneratedCode"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    long start = System.nanoTime();
    Object context;
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromStrings(sources);
      JavaCompiler.CompilationTask task =
          javac.getTask(null, files, d -> {}, options, null, units);
      Method getContext = task.getClass().getMethod("getContext");
      context = getContext.invoke(task); // javac drops its reference when the task ends
      task.call();
    }
    Duration total = Duration.ofNanos(System.nanoTime() - start);
    Map<String, Duration> timings = errorProneTimings(context);
    Duration all = timings.values().stream().reduce(Duration.ZERO, Duration::plus);
    Map<String, Duration> ours = new TreeMap<>();
    timings.forEach((name, time) -> {
      if (tether.contains(name)) {
        ours.put(name, time);
      }
    });
    Duration tetherTotal = ours.values().stream().reduce(Duration.ZERO, Duration::plus);
    System.out.printf(
        "%s: javac + Error Prone %.1fs; all checks %.1fs; Tether's %d checks %.3fs = %.2f%% of the"
            + " compilation%n",
        dir.getFileName(),
        total.toMillis() / 1e3,
        all.toMillis() / 1e3,
        ours.size(),
        tetherTotal.toNanos() / 1e9,
        100.0 * tetherTotal.toNanos() / total.toNanos());
    ours.entrySet().stream()
        .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
        .forEach(e -> System.out.printf("  %-32s %8.3fs%n", e.getKey(), e.getValue().toNanos() / 1e9));
  }

  /** Finds Error Prone's {@code ErrorProneTimings} in javac's context (it lives in the plugin's class loader). */
  @SuppressWarnings("unchecked")
  private static Map<String, Duration> errorProneTimings(Object context) throws Exception {
    Field table = context.getClass().getDeclaredField("ht");
    table.setAccessible(true);
    for (Object value : ((Map<Object, Object>) table.get(context)).values()) {
      if (value != null && value.getClass().getName().equals("com.google.errorprone.ErrorProneTimings")) {
        Method timings = value.getClass().getMethod("timings");
        return (Map<String, Duration>) timings.invoke(value);
      }
    }
    throw new IllegalStateException("Error Prone did not run: no ErrorProneTimings in the context");
  }
}
