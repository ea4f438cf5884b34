-- What every Neovim check does (loaded with dofile by lsp-check.lua, layers-check.lua, deployment-check.lua):
-- report lines, fail with a reason, open a file with the bundled server attached and wait for its diagnostics,
-- send requests, list the CodeLens, stop the server and quit.
local M = {}

function M.out(s) io.stdout:write(s .. '\n') end

--- Prints the reason and quits Neovim with exit code 1.
function M.fail(msg)
  M.out('FAIL: ' .. msg)
  vim.cmd('cquit 1')
end

--- The environment variables `names`, in order; fails naming them all when one is unset.
function M.env(names)
  local values = {}
  for i, name in ipairs(names) do
    values[i] = os.getenv(name)
    if not values[i] then
      M.fail('set ' .. table.concat(names, ', '))
      return nil
    end
  end
  return unpack(values, 1, #names)
end

--- Opens `file`, starts the server (LSP_SERVER_JS) on `opts.root_dir` with the djangoSessionLint settings in
--- LSP_SETTINGS, attaches it and waits until the file's diagnostics are published. `opts.on_publish` sees every
--- publishDiagnostics; `opts.init_options` is sent as initializationOptions. The server's open-location command
--- runs client-side, as a user would map it (Neovim 0.7 has no window/showDocument). Returns the session, or nil
--- after failing.
function M.open(file, opts)
  local server_js = os.getenv('LSP_SERVER_JS')
  -- The node flags every client starts the server with (LSP_NODE_FLAGS: common/server-start.ts).
  local cmd = { 'node' }
  for flag in string.gmatch(os.getenv('LSP_NODE_FLAGS') or '', '%S+') do table.insert(cmd, flag) end
  table.insert(cmd, server_js)
  table.insert(cmd, '--stdio')
  local settings = vim.fn.json_decode(os.getenv('LSP_SETTINGS') or '{}')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local s = { bufnr = vim.api.nvim_get_current_buf() }
  s.uri = vim.uri_from_bufnr(s.bufnr)
  s.client_id = vim.lsp.start_client({
    name = 'django-session-lint',
    cmd = cmd,
    root_dir = opts.root_dir,
    -- Answered to the server's workspace/configuration pull (section djangoSessionLint).
    settings = { djangoSessionLint = settings },
    init_options = opts.init_options,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
        if result.uri == s.uri then s.published = result end
        if opts.on_publish then opts.on_publish(result) end
      end,
    },
    commands = {
      ['djangoSessionLint.server.openLocation'] = function(command)
        local arg = command.arguments[1]
        vim.lsp.util.jump_to_location({ uri = arg.uri, range = arg.range }, 'utf-16')
      end,
    },
  })
  if not s.client_id then
    M.fail('server did not start')
    return nil
  end
  vim.lsp.buf_attach_client(s.bufnr, s.client_id)
  if not vim.wait(20000, function() return s.published ~= nil end, 20) then
    M.fail('no publishDiagnostics within 20s')
    return nil
  end
  s.client = vim.lsp.get_client_by_id(s.client_id)
  return s
end

--- A request's result; fails when it errs or gets no answer within 10 s.
function M.request(s, method, params)
  local resp = s.client.request_sync(method, params, 10000, s.bufnr)
  if not resp or resp.err then M.fail(method .. ' failed: ' .. vim.inspect(resp)) end
  return resp and resp.result
end

--- The file's CodeLens as Neovim shows them (refreshed, waited for), each printed as `lens LINE: TITLE`.
function M.codelenses(s)
  vim.lsp.codelens.refresh()
  if not vim.wait(10000, function() return #(vim.lsp.codelens.get(s.bufnr) or {}) > 0 end, 20) then
    M.fail('no codelens')
    return nil
  end
  local lenses = vim.lsp.codelens.get(s.bufnr)
  for _, lens in ipairs(lenses) do
    M.out(string.format('lens %d: %s', lens.range.start.line + 1, lens.command and lens.command.title or '?'))
  end
  return lenses
end

--- Stops the server, prints `done` and quits.
function M.finish(s)
  vim.lsp.stop_client(s.client_id)
  vim.wait(3000, function() return vim.lsp.get_client_by_id(s.client_id) == nil end, 20)
  M.out('done')
  vim.cmd('qall!')
end

return M
