package services.ergo.samples.coordinator;

import java.util.List;
import services.ergo.gen.ApplicationRoute;

/** The workers the scout found: running instances of application "worker" with their weights. */
record Workers(List<ApplicationRoute> routes) {}
