package com.example;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Renders thumbnails, one thread per image. */
public final class Thumbnails {
  private final Consumer<String> renderer;

  public Thumbnails(Consumer<String> renderer) {
    this.renderer = renderer;
  }

  /** Renders every image; TetherMigrations rewrites this fan-out to a TaskGroup with a limit. */
  public void renderAll(List<String> images) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (String image : images) {
      Thread thread = new Thread(() -> renderer.accept(image));
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** Renders every image on daemon threads that outlive the call: not joined, so it stays. */
  public void renderAllInBackground(List<String> images) {
    for (String image : images) {
      Thread thread = new Thread(() -> renderer.accept(image));
      thread.setDaemon(true);
      thread.start();
    }
  }
}
