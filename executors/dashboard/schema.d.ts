/** Options of the `dashboard` executor: none yet; the specs directory comes from the plugin's options in nx.json. */
export type DashboardExecutorSchema = Record<string, never>;
