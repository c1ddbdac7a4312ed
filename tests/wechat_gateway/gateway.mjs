#!/usr/bin/env node
/**
 * A loopback Wechaty puppet-service gateway for GridDesk's WeChat tests.
 *
 * The official PuppetServer serves the official mock puppet (PuppetMock + Mocker)
 * on 127.0.0.1, TLS off, with an `insecure_` token: the same gRPC service a real
 * WeChat gateway offers, so bot/wechat.py is tested against the real protocol.
 *
 * Control channel: newline-delimited JSON. Requests come on stdin as
 *   {"id": 1, "cmd": "say", ...}
 * and each gets one answer on stdout
 *   {"id": 1, "ok": true, ...}   or   {"id": 1, "ok": false, "error": "..."}
 * Unprompted lines on stdout are events:
 *   {"event": "ready", "port": 12345, "token": "insecure_...", "bot": "wxid_..."}
 *   {"event": "sent", "message": {id, room, to, text, type, name}}   (the bot said something)
 * Anything on stdout that is not a JSON object is noise from a library; skip it.
 *
 * Commands:
 *   world                                  the bot, contacts and rooms
 *   say {from, room | to, text, mentions?} a contact speaks in a room or to the bot
 *   quote {from, room | to, quoted, text}  a WeChat 引用 reply; quoted is a message id
 *   file {from, room | to, name, base64?}  an image (.png/.jpg), voice (.sil), video...
 *   add_contact {contact, name}            a new contact (its id)
 *   add_room {room, topic, members}        a new room (its id, which must contain "@")
 *   topic {room, topic, by?}               a room is renamed
 *   sent                                   everything the bot sent since start
 *   error {data?}                          the puppet reports an error
 *   logout / login                         the bot's WeChat account logs out / back in
 *   refuse_files                           from now on the puppet cannot send files
 *   status                                 how often the bot's account logged in and out
 *   restart                                stop the gRPC server and the puppet, start both
 *   stop                                   shut down and exit
 *
 * Usage: node gateway.mjs [--port N] [--token insecure_x]   (port 0: pick a free one)
 */

import net from 'node:net'
import readline from 'node:readline'

import * as PUPPET from 'wechaty-puppet'
import { log } from 'wechaty-puppet'
import { PuppetMock, mock } from 'wechaty-puppet-mock'
import { PuppetServer } from 'wechaty-puppet-service'
import { FileBox } from 'file-box'

log.level(process.env.WECHATY_LOG || 'silent')

const QUOTE_RULE = '- - - - - - - - - - - - - - -'
/** 1×1 transparent PNG, the default picture a resident sends. */
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='

const WORLD = {
  bot: { id: 'wxid_griddesk_bot', name: '网格前台' },
  contacts: [
    { id: 'wxid_zhang_ayi', name: '张阿姨' },
    { id: 'wxid_li_dayi', name: '李大爷' },
    { id: 'wxid_zhao_shu', name: '赵叔' },
    { id: 'wxid_wangfang', name: '王芳' },
    { id: 'wxid_liuyang', name: '刘洋' },
    { id: 'wxid_zhaomin', name: '赵敏' },
    { id: 'wxid_sunqiang', name: '孙强' },
  ],
  rooms: [
    { id: '20001003@chatroom', topic: '吉利花园3号楼业主群',
      members: ['wxid_zhang_ayi', 'wxid_li_dayi', 'wxid_wangfang'] },
    { id: '20002006@chatroom', topic: '文化里6号楼邻居群',
      members: ['wxid_zhao_shu', 'wxid_li_dayi', 'wxid_sunqiang'] },
    { id: '20003000@chatroom', topic: '文化里社区网格员群',
      members: ['wxid_zhaomin', 'wxid_sunqiang'] },
    { id: '20009999@chatroom', topic: '吉利花园广场舞群',
      members: ['wxid_zhang_ayi', 'wxid_li_dayi', 'wxid_zhao_shu'] },
  ],
}

function parseArgs (argv) {
  const args = { port: 0, token: 'insecure_griddesk_test' }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') args.port = Number(argv[++i])
    else if (argv[i] === '--token') args.token = argv[++i]
  }
  return args
}

function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

class Gateway {
  constructor (port, token) {
    this.port = port
    this.token = token
    this.sent = []
    this.logins = 0
    this.logouts = 0
    this.contacts = new Map()
    this.rooms = new Map()
    this.mocker = undefined
    this.puppet = undefined
    this.server = undefined
  }

  /** A fresh mocker with the same world; the bot logs in whenever the puppet starts. */
  build () {
    const mocker = new mock.Mocker()
    const bot = mocker.createContact({ ...WORLD.bot, type: PUPPET.types.Contact.Individual })
    this.contacts = new Map([[bot.id, bot]])
    for (const c of WORLD.contacts) this.addContact(c, mocker)
    this.rooms = new Map()
    for (const r of WORLD.rooms) this.addRoom(r, mocker)
    mocker.use(() => {
      mocker.login(bot)
      return () => {}
    })
    this.mocker = mocker
    this.bot = bot
    this.puppet = new PuppetMock({ mocker })
    this.puppet.on('message', ({ messageId }) => this.onPuppetMessage(messageId))
    this.puppet.on('login', () => { this.logins++ })
    this.puppet.on('logout', () => { this.logouts++ })
  }

  addContact ({ id, name }, mocker = this.mocker) {
    const contact = mocker.createContact({
      id, name, type: PUPPET.types.Contact.Individual, friend: true,
      gender: PUPPET.types.ContactGender.Unknown, avatar: '', phone: [],
    })
    this.contacts.set(id, contact)
    return contact
  }

  addRoom ({ id, topic, members }, mocker = this.mocker) {
    if (!id.includes('@')) throw new Error('a room id must contain "@": ' + id)
    const memberIdList = [WORLD.bot.id, ...(members || []).filter(m => m !== WORLD.bot.id)]
    const room = mocker.createRoom({ id, topic, memberIdList, adminIdList: [], ownerId: memberIdList[0], avatar: '' })
    this.rooms.set(id, room)
    return room
  }

  onPuppetMessage (messageId) {
    const payload = this.mocker.cacheMessagePayload.get(messageId)
    if (!payload || payload.talkerId !== this.bot.id) return
    const file = this.mocker.cacheFileBoxPayload.get(messageId)
    const message = {
      id: messageId,
      room: payload.roomId || null,
      to: payload.listenerId || null,
      text: payload.text ?? null,
      type: PUPPET.types.Message[payload.type],
      name: file ? file.name : null,
    }
    this.sent.push(message)
    emit({ event: 'sent', message })
  }

  async start () {
    this.build()
    this.server = new PuppetServer({
      endpoint: `127.0.0.1:${this.port}`,
      puppet: this.puppet,
      token: this.token,
      tls: { disable: true },
    })
    await this.puppet.start()
    await this.server.start()
  }

  async stop () {
    if (this.server) await this.server.stop()
    if (this.puppet && this.puppet.state.active()) await this.puppet.stop()
    this.server = undefined
  }

  contact (id) {
    const contact = this.contacts.get(id)
    if (!contact) throw new Error('no such contact: ' + id)
    return contact
  }

  conversation ({ room, to }) {
    if (room) {
      const found = this.rooms.get(room)
      if (!found) throw new Error('no such room: ' + room)
      return found
    }
    return this.contact(to || this.bot.id)
  }

  /** Make `from` say something (text or FileBox) and return the new message's id. */
  say (from, something, where, mentions = []) {
    const before = new Set(this.mocker.cacheMessagePayload.keys())
    this.contact(from).say(something, mentions.map(id => this.contact(id))).to(this.conversation(where))
    const added = [...this.mocker.cacheMessagePayload.keys()].filter(k => !before.has(k))
    return added[added.length - 1]
  }

  quoteText (quotedId, text) {
    const quoted = this.mocker.cacheMessagePayload.get(quotedId)
    if (!quoted) throw new Error('no such message: ' + quotedId)
    const talker = this.contacts.get(quoted.talkerId)
    const name = talker ? talker.payload.name : quoted.talkerId
    return `「${name}：${quoted.text ?? ''}」\n${QUOTE_RULE}\n${text}`
  }

  async handle (req) {
    switch (req.cmd) {
      case 'world':
        return {
          bot: WORLD.bot,
          contacts: [...this.contacts.values()].map(c => ({ id: c.id, name: c.payload.name })),
          rooms: [...this.rooms.values()].map(r => ({ id: r.id, topic: r.payload.topic })),
        }
      case 'say':
        return { message_id: this.say(req.from, String(req.text), req, req.mentions || []) }
      case 'quote':
        return { message_id: this.say(req.from, this.quoteText(req.quoted, String(req.text)), req) }
      case 'file': {
        const box = FileBox.fromBase64(req.base64 || TINY_PNG, req.name || 'photo.png')
        return { message_id: this.say(req.from, box, req) }
      }
      case 'add_contact':
        this.addContact({ id: req.contact, name: req.name })
        return {}
      case 'add_room':
        this.addRoom({ id: req.room, topic: req.topic, members: req.members })
        return {}
      case 'topic': {
        const room = this.conversation({ room: req.room })
        room.topic(req.topic).by(req.by ? this.contact(req.by) : undefined)
        return {}
      }
      case 'sent':
        return { sent: this.sent }
      case 'error':
        this.puppet.emit('error', { gerror: String(req.data || 'mock error') })
        return {}
      case 'logout':
        await this.puppet.logout('mock logout')
        return {}
      case 'login':
        this.mocker.login(this.bot)
        return {}
      case 'status':
        return { logins: this.logins, logouts: this.logouts, logged_in: this.puppet.isLoggedIn }
      case 'refuse_files':
        this.puppet.messageSendFile = async () => { throw new Error('this puppet cannot send files') }
        return {}
      case 'restart':
        await this.stop()
        await this.start()
        return { port: this.port }
      case 'stop':
        await this.stop()
        setImmediate(() => process.exit(0))
        return {}
      default:
        throw new Error('unknown command: ' + req.cmd)
    }
  }
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const port = args.port || await freePort()
  const gateway = new Gateway(port, args.token)
  await gateway.start()
  emit({ event: 'ready', port, token: args.token, bot: WORLD.bot.id })

  const lines = readline.createInterface({ input: process.stdin })
  let queue = Promise.resolve()
  lines.on('line', line => {
    if (!line.trim()) return
    queue = queue.then(async () => {
      let req
      try {
        req = JSON.parse(line)
        emit({ id: req.id, ok: true, ...(await gateway.handle(req)) })
      } catch (e) {
        emit({ id: req ? req.id : null, ok: false, error: String(e && e.message ? e.message : e) })
      }
    })
  })
  lines.on('close', () => {
    gateway.stop().finally(() => process.exit(0))
  })
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => gateway.stop().finally(() => process.exit(0)))
  }
}

main().catch(e => {
  process.stderr.write(`gateway failed: ${e && e.stack ? e.stack : e}\n`)
  process.exit(1)
})
