-- Headless Neovim (0.7+) on a deployment layout (Debian's, kolla's): the CodeLens whose title starts with
-- LSP_LENS is run as a user would (`vim.lsp.codelens.run()` on its line, choosing it when the line has several),
-- Go to Definition at LSP_DEF_NEEDLE, the layers request and workspace diagnostics. test/nvim/nvim.test.ts
-- asserts on the output.
-- env: LSP_SERVER_JS, LSP_FILE, LSP_ROOT, LSP_LENS (title prefix), LSP_DEF_NEEDLE (text on the definition's line;
-- the position is LSP_DEF_SHIFT characters after its start), LSP_SETTINGS (JSON)
local function out(s) io.stdout:write(s .. '\n') end
local function fail(msg) out('FAIL: ' .. msg); vim.cmd('cquit 1') end

local server_js, file, root = os.getenv('LSP_SERVER_JS'), os.getenv('LSP_FILE'), os.getenv('LSP_ROOT')
local lens_prefix, needle = os.getenv('LSP_LENS'), os.getenv('LSP_DEF_NEEDLE')
local shift = tonumber(os.getenv('LSP_DEF_SHIFT') or '0')
if not server_js or not file or not root or not lens_prefix or not needle then
  fail('set LSP_SERVER_JS, LSP_FILE, LSP_ROOT, LSP_LENS and LSP_DEF_NEEDLE') return
end
local settings = vim.fn.json_decode(os.getenv('LSP_SETTINGS') or '{}')

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(bufnr)
local published

local client_id = vim.lsp.start_client({
  name = 'django-session-lint',
  cmd = { 'node', server_js, '--stdio' },
  root_dir = root,
  settings = { djangoSessionLint = settings },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      if result.uri == uri then published = result end
    end,
  },
  commands = {
    ['djangoSessionLint.server.openLocation'] = function(command)
      local arg = command.arguments[1]
      vim.lsp.util.jump_to_location({ uri = arg.uri, range = arg.range }, 'utf-16')
    end,
  },
})
if not client_id then fail('server did not start') return end
vim.lsp.buf_attach_client(bufnr, client_id)
if not vim.wait(20000, function() return published ~= nil end, 20) then fail('no publishDiagnostics within 20s') return end
local client = vim.lsp.get_client_by_id(client_id)

local function request(method, params)
  local resp = client.request_sync(method, params, 10000, bufnr)
  if not resp or resp.err then fail(method .. ' failed: ' .. vim.inspect(resp)) end
  return resp and resp.result
end
local function line_of(path, n)
  local ok, lines = pcall(vim.fn.readfile, path, '', n + 1)
  return ok and lines[n + 1] or '?'
end

-- CodeLens as Neovim shows them.
vim.lsp.codelens.refresh()
if not vim.wait(10000, function() return #(vim.lsp.codelens.get(bufnr) or {}) > 0 end, 20) then fail('no codelens') return end
local lens_line
for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
  local title = lens.command and lens.command.title or '?'
  out(string.format('lens %d: %s', lens.range.start.line + 1, title))
  if not lens_line and title:sub(1, #lens_prefix) == lens_prefix then lens_line = lens.range.start.line + 1 end
end
if not lens_line then fail('no lens starting with ' .. lens_prefix) return end
-- Several lenses on one line: Neovim asks which one; answer with the one asked for.
vim.ui.select = function(items, opts, on_choice)
  for i, item in ipairs(items) do
    local title = opts.format_item and opts.format_item(item) or tostring(item)
    if title:sub(1, #lens_prefix) == lens_prefix then return on_choice(item, i) end
  end
  on_choice(nil, nil)
end
vim.api.nvim_win_set_cursor(0, { lens_line, 0 })
vim.lsp.codelens.run()
vim.wait(3000, function() return vim.api.nvim_get_current_buf() ~= bufnr end, 20)
local row = vim.api.nvim_win_get_cursor(0)[1]
out(string.format('lens opened: %s:%d %s', vim.api.nvim_buf_get_name(0), row, vim.api.nvim_get_current_line()))
vim.cmd('buffer ' .. bufnr)

-- Go to Definition at the needle.
local def_line, def_char
for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  local at = l:find(needle, 1, true)
  if at then def_line, def_char = i - 1, at - 1 + shift break end
end
if not def_line then fail('needle not found: ' .. needle) return end
local pos = { textDocument = { uri = uri }, position = { line = def_line, character = def_char } }
for _, loc in ipairs(request('textDocument/definition', pos) or {}) do
  local target = vim.uri_to_fname(loc.uri or loc.targetUri)
  local l = (loc.range or loc.targetRange).start.line
  out(string.format('definition: %s:%d %s', target, l + 1, line_of(target, l)))
end

-- The layers view's data, in load order.
local layers = request('djangoSessionLint/layers', { uri = uri })
for _, l in ipairs(layers and layers.layers or {}) do out('layer: ' .. l.label) end

-- Problems of the files that are not open.
local report = request('workspace/diagnostic', { previousResultIds = {} })
for _, item in ipairs(report and report.items or {}) do
  local codes = {}
  for _, d in ipairs(item.items or {}) do table.insert(codes, d.code .. '@' .. (d.range.start.line + 1)) end
  if #codes > 0 then out(string.format('workspace diagnostic: %s %s', vim.uri_to_fname(item.uri), table.concat(codes, ' '))) end
end

vim.lsp.stop_client(client_id)
vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
out('done')
vim.cmd('qall!')
