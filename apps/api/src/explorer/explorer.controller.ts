import { dirname, join } from 'node:path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig } from '@app/config';
import { EXPLORER_FILES, EXPLORER_SCRIPT } from './explorer';

/** The explorer's scripts and styles, from installed packages; 404 while the explorer is off. */
@Controller('explorer')
export class ExplorerController {
  constructor(private readonly config: AppConfig) {}

  @Get(':file')
  file(@Param('file') file: string, @Res() res: Response): void {
    if (!this.config.explorerEnabled) throw new NotFoundException();
    res.setHeader('cache-control', 'public, max-age=3600');
    if (file === 'explorer.js') {
      res.type('text/javascript').send(EXPLORER_SCRIPT);
      return;
    }
    const asset = Object.hasOwn(EXPLORER_FILES, file) ? EXPLORER_FILES[file] : undefined;
    if (!asset) throw new NotFoundException();
    // The packages' own folders: their `exports` do not list the prebuilt browser files.
    res.type(asset.type).sendFile(join(dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file));
  }
}
