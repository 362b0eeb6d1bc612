/** Secrets named by the environment, so log lines and messages can never carry them. */

/** Values of every variable whose name ends in SECRET, TOKEN, PASSWORD or API_KEY. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([key, value]) => value && /(SECRET|TOKEN|PASSWORD|API_KEY)$/.test(key))
    .map(([, value]) => value as string);
}
