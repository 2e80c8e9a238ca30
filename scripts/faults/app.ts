/**
 * The app as the fault run starts it: the real start function in its own process (so SIGKILL kills
 * it for real), configured from the environment like the headless app, printing one JSON line with
 * its URLs and a sign-in link once it listens.
 */
import { loadConfig } from '../../server/config/config.js'
import { memoryPreferences } from '../../server/settings/preferences.js'
import { startServer } from '../../server/start.js'

const server = await startServer({
  config: loadConfig(process.env),
  preferences: memoryPreferences(),
})
process.stdout.write(
  `${JSON.stringify({ ready: true, localUrl: server.localUrl, publicUrl: server.publicListenUrl, loginUrl: server.loginUrl() })}\n`,
)
const stop = () => void server.close().finally(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
