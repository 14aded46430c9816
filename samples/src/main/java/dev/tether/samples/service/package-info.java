/**
 * A small price-quote service written the way a team would use Tether's runtime: a long-lived
 * service scope, a request handler that nests every wait in the request's scope, a bounded fan-out
 * with a {@code ResultGroup}, a cache behind a {@code StateOwner}, a refresher on a {@code Ticker},
 * and audit jobs on a {@code WorkerPool}. It must compile clean under every Tether check.
 */
package dev.tether.samples.service;
